// Types of compiledServer.mjs (plain JavaScript: bin.mjs runs it before TypeScript can load).
export declare const ROOT: string;
export declare const OUT_DIR: string;
export declare const SOURCE_DIRS: string[];
export declare const BUILD_FORMAT: number;
export interface BuildManifest {
  format: number;
  sources: Record<string, { mtimeMs: number; size: number; sha1: string }>;
}
export declare function listSources(root?: string): string[];
export declare function describeSources(sources: string[], root?: string): BuildManifest;
export declare function writeManifest(outDir: string, manifest: BuildManifest): void;
export declare function retireBuild(outDir: string): void;
export declare function compiledStatus(root?: string, outDir?: string): { current: true } | { current: false; reason: string };
export declare function compiledEntry(root?: string, outDir?: string): string | null;
