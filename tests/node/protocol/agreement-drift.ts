/**
 * Type-checked, not run: drifted shapes that must NOT agree with the hand-written types. The
 * agreement of each type with its shape (beside the shapes in protocol/) is checked by the
 * type-checker, which `npm test` runs first; were `Agree` to accept one of these, its unused
 * `@ts-expect-error` directive would fail the type-check.
 */
import type { Fact } from '../../../protocol/facts.ts';
import { backgroundToContent } from '../../../protocol/message-shapes.ts';
import type { BackgroundToContent } from '../../../protocol/messages.ts';
import { count, positive } from '../../../protocol/primitives.ts';
import { type Agree, type Holds, type Infer, enumOf, optional, union } from '../../../protocol/shape.ts';

type PortClosed = Extract<Fact, { kind: 'port-closed' }>;

// Each line is a drifted shape of the port-closed fact that must NOT agree with its type.
const common = { seq: positive, time: { s: 'number' }, ctx: { s: 'string' } } as const;
const site = { s: 'object', fields: { stack: { s: 'list', item: { s: 'string' } } } } as const;
const withoutSite = union('kind', common, { 'port-closed': { port: positive } });
// @ts-expect-error an optional field missing from the shape
export type MissingOptional = Holds<Agree<PortClosed, Infer<typeof withoutSite>, 'kind'>>;
const siteRequired = union('kind', common, { 'port-closed': { port: positive, site } });
// @ts-expect-error an optional field the shape requires
export type RequiredOptional = Holds<Agree<PortClosed, Infer<typeof siteRequired>, 'kind'>>;
const extraField = union('kind', common, { 'port-closed': { port: positive, site: optional(site), why: count } });
// @ts-expect-error a field the type does not have
export type ExtraField = Holds<Agree<PortClosed, Infer<typeof extraField>, 'kind'>>;
const narrowAck = union(
  'type',
  {},
  {
    welcome: backgroundToContent.variants.welcome,
    ack: { seq: enumOf(['1']) },
    config: backgroundToContent.variants.config,
    forget: backgroundToContent.variants.forget,
  },
);
// @ts-expect-error a field of another type
export type OtherType = Holds<Agree<BackgroundToContent, Infer<typeof narrowAck>, 'type'>>;
// And the real shapes agree (also checked beside them in protocol/).
export type Agrees = Holds<Agree<BackgroundToContent, Infer<typeof backgroundToContent>, 'type'>>;
