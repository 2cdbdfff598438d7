import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The family's acknowledgement may carry a signature drawn at the distribution station: a PNG as a data
 * URL, small (a few kilobytes of strokes; at most 200,000 characters).
 */
export class AcknowledgementSignature1764002000000 implements MigrationInterface {
  name = 'AcknowledgementSignature1764002000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE assignments ADD COLUMN acknowledgement_signature text
        CONSTRAINT assignments_acknowledgement_signature_png
        CHECK (acknowledgement_signature IS NULL
               OR (acknowledgement_signature LIKE 'data:image/png;base64,%' AND length(acknowledgement_signature) <= 200000))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignments DROP COLUMN acknowledgement_signature`);
  }
}
