import { AUTOMATION_CHANNELS } from "./automation.ts";

/** The channels a segment can select customers by (those an inbox can have). */
export const SEGMENT_CHANNELS = AUTOMATION_CHANNELS;

/** What a segment selects (server/segments/segmentCriteria.ts): every condition given must hold. */
export interface SegmentCriteria {
  vulnerable?: boolean;
  openComplaint?: boolean;
  /** Latest NPS answer 0–6. */
  npsDetractor?: boolean;
  verified?: boolean;
  channels?: Array<(typeof SEGMENT_CHANNELS)[number]>;
  labels?: string[];
  /** A contact attribute equal to a value, case-insensitive (e.g. `tier` = `vip`), as automation rules read it. */
  contactAttribute?: { key: string; value: string };
}

/** A saved customer segment (GET /api/v1/segments). */
export interface Segment {
  id: string;
  name: string;
  description: string | null;
  criteria: SegmentCriteria;
  /** Customers in it now (not merged away). */
  contacts: number;
  createdAt: string;
  updatedAt: string;
}
