/** Which implementation serves one concern, for the home page and `/readyz`. */
export interface StoreDescription {
  concern: 'working memory' | 'conversation history' | 'semantic memory'
  backend: string
  /** True for the no-configuration defaults (in-process memory, PGlite under DATA_DIR). */
  embedded: boolean
  /** A plain-words caveat, e.g. that in-memory data is lost on restart. */
  note?: string
}
