import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";

/**
 * Where attachment bytes live. One small interface so that an object store (S3,
 * MinIO, OSS...) can replace the local directory later; rows in `attachments` keep
 * only the key.
 */
export interface AttachmentStore {
  readonly kind: string;
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

/** Files under a directory (DATA_DIR/attachments): two levels of fan-out, written atomically. */
export class LocalAttachmentStore implements AttachmentStore {
  readonly kind = "local";
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error("invalid attachment key");
    return path.join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, data, { mode: 0o600 });
    await fs.promises.rename(tmp, file);
  }

  get(key: string): Promise<Buffer> {
    return fs.promises.readFile(this.file(key));
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.file(key), { force: true });
  }
}

const stores = new Map<string, AttachmentStore>();

/** The store for this configuration (one per data directory). */
export function attachmentStore(config: Pick<Config, "DATA_DIR">): AttachmentStore {
  const dir = path.join(config.DATA_DIR, "attachments");
  let store = stores.get(dir);
  if (!store) stores.set(dir, (store = new LocalAttachmentStore(dir)));
  return store;
}
