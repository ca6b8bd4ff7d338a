/** A passage of the knowledge base as agents search it (GET /knowledge/search). Server: server/knowledge/KnowledgeSearch.ts. */
export interface KnowledgeHit {
  path: string;
  title: string;
  heading: string;
  score: number;
  text: string;
  locale: string;
  /** The passage's place in its article (0: the article's opening). */
  ordinal: number;
  /** How well its section's closest sample question matches the query (0 to 1), null if it lists none. */
  sampleQuestion: number | null;
}

/** GET /knowledge/search. */
export interface KnowledgeSearchResult {
  hits: KnowledgeHit[];
}
