/** Who a runtime inside a worker is: what its `context` fact announces (install.ts, worker-protocol.ts). */
export interface WorkerIdentity {
  /** The ctx announced as `worker-created.childCtx`. */
  ctx?: string;
  /** The owner's ctx. */
  parent?: string;
  /** How this runtime got inside the worker (the context fact says so). */
  inside?: 'protocol' | 'bootstrap';
}
