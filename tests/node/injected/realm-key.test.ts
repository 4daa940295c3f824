/**
 * The realm bridge's key (injected/realm.ts): the extension's runtime answers nothing before
 * its relay's secret (the build's nonce is public), then answers that secret only, once.
 */
import { describe, expect, it } from 'vitest';
import { awaitBridgeKey, bridgeAnswer, keyBridge, offerBridge } from '../../../injected/realm.ts';

describe('the realm bridge key', () => {
  it("answers the build's nonce until the extension's runtime awaits its relay, then only the relay's first secret", () => {
    const post = () => 'posted';
    offerBridge({ post });
    // The standalone runtime (no relay): the nonce, here the test build's "test".
    expect(bridgeAnswer('portscope-realm-test')?.post).toBe(post);
    awaitBridgeKey();
    expect(bridgeAnswer('portscope-realm-test')).toBeUndefined();
    expect(bridgeAnswer('portscope-realm-undefined')).toBeUndefined();
    expect(bridgeAnswer(undefined)).toBeUndefined();
    keyBridge('s3cret');
    expect(bridgeAnswer('portscope-realm-s3cret')?.post).toBe(post);
    expect(bridgeAnswer('portscope-realm-test')).toBeUndefined();
    // Only the relay's first word counts.
    keyBridge('other');
    awaitBridgeKey();
    expect(bridgeAnswer('portscope-realm-other')).toBeUndefined();
    expect(bridgeAnswer('portscope-realm-s3cret')?.post).toBe(post);
  });
});
