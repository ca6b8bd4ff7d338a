import type { Database } from "../db/Database.ts";
import type { Config } from "../config.ts";
import type { Embedder } from "./embedders/Embedder.ts";
import { createEmbedder } from "./embedders/createEmbedder.ts";
import { KnowledgeSearch, type SearchHit, type SearchOptions } from "./KnowledgeSearch.ts";
import { syncKnowledge, type SyncProgress, type SyncSummary } from "./syncKnowledge.ts";

/** The knowledge base of one process: its embedder, search, and sync of a folder. */
export class KnowledgeBase {
  readonly search: KnowledgeSearch;
  private syncing: Promise<SyncSummary> | undefined;

  constructor(
    readonly db: Database,
    readonly embedder: Embedder,
    readonly dir: string,
  ) {
    this.search = new KnowledgeSearch(db, embedder);
  }

  static async create(db: Database, config: Config, dir = config.KNOWLEDGE_DIR): Promise<KnowledgeBase> {
    return new KnowledgeBase(db, await createEmbedder(config), dir);
  }

  /** One sync at a time per process; a request during a sync waits for it and runs again. */
  async sync(onProgress?: SyncProgress): Promise<SyncSummary> {
    while (this.syncing) await this.syncing.catch(() => {});
    this.syncing = syncKnowledge({ db: this.db, embedder: this.embedder, dir: this.dir, onProgress });
    try {
      return await this.syncing;
    } finally {
      this.syncing = undefined;
      this.search.invalidate();
    }
  }

  query(q: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.search.search(q, opts);
  }

  /** See KnowledgeSearch.termWeight. */
  termWeight(term: string): number {
    return this.search.termWeight(term);
  }

  /** See KnowledgeSearch.sectionPaths. */
  sectionPaths(path: string): string[] {
    return this.search.sectionPaths(path);
  }

  /** See KnowledgeSearch.articleTerms. */
  articleTerms(path: string): Set<string> {
    return this.search.articleTerms(path);
  }
}
