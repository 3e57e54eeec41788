/** The part of `fetch` the SDKs and exporters call (without runtime extras like `preconnect`). */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
