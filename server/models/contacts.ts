/** Customers, as the database returns them. */
export interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  verified: boolean;
  attributes: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  /** The contact this one was merged into (migration 035); null or absent otherwise. */
  merged_into?: string | null;
}
