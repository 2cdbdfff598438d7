/** The records of supply kits: what the API, the repository and the student equipment view share. */

export interface KitItem {
  item: string;
  quantity: number;
}

export interface KitTemplateRow {
  id: string;
  districtId: string;
  name: string;
  items: KitItem[];
  createdAt: Date;
}

export interface KitRow {
  id: string;
  districtId: string;
  studentId: string;
  templateId: string;
  templateName: string;
  items: KitItem[];
  issuedAt: Date;
  returnedAt: Date | null;
  missingItems: KitItem[];
  /** issued_at in microseconds since the epoch: a cursor built from a JS Date would lose the microseconds. */
  issuedAtKey: string;
  /** Moved on by every UPDATE (a trigger): the record's ETag. */
  version: number;
}
