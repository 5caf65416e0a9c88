import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A billing party's credit from overpayments can be spent: applied to an open invoice (a payment
 * with method `credit`) or refunded (a refund), each naming the overpayment it draws on. A
 * ledger item that was invoiced and should no longer have been (a withdrawn resit) is marked
 * for a credit note, and the credit note that settles it is recorded on it.
 */
export class InvoicingCreditAndCorrections1764231900000 implements MigrationInterface {
  name = 'InvoicingCreditAndCorrections1764231900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payment DROP CONSTRAINT payment_method_check`);
    await db.query(`ALTER TABLE payment ADD CONSTRAINT payment_method_check CHECK (method IN ('bank_transfer', 'ideal', 'card', 'cash', 'direct_debit', 'credit'))`);
    // The overpayment (a payment with credit_cents) whose credit this application or refund spends.
    await db.query(`ALTER TABLE payment ADD COLUMN credit_source_id uuid REFERENCES payment (id)`);
    await db.query(`ALTER TABLE payment ADD CONSTRAINT payment_credit_has_source CHECK (method <> 'credit' OR credit_source_id IS NOT NULL)`);
    await db.query(`ALTER TABLE payment ADD CONSTRAINT payment_spent_credit_is_no_credit CHECK (credit_source_id IS NULL OR credit_cents = 0)`);
    await db.query(`CREATE INDEX payment_credit_source_idx ON payment (credit_source_id) WHERE credit_source_id IS NOT NULL`);

    // Why an invoiced item is owed a credit note, and the credit note that settled it.
    await db.query(`ALTER TABLE billable_item ADD COLUMN credit_due text, ADD COLUMN credit_note_id uuid REFERENCES invoice (id)`);
    await db.query(`ALTER TABLE billable_item ADD CONSTRAINT billable_item_credit_due_is_invoiced CHECK (credit_due IS NULL OR status = 'invoiced')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE billable_item DROP CONSTRAINT billable_item_credit_due_is_invoiced, DROP COLUMN credit_note_id, DROP COLUMN credit_due`);
    await db.query(`DELETE FROM payment WHERE credit_source_id IS NOT NULL`);
    await db.query(`ALTER TABLE payment DROP CONSTRAINT payment_spent_credit_is_no_credit, DROP CONSTRAINT payment_credit_has_source, DROP COLUMN credit_source_id`);
    await db.query(`ALTER TABLE payment DROP CONSTRAINT payment_method_check`);
    await db.query(`ALTER TABLE payment ADD CONSTRAINT payment_method_check CHECK (method IN ('bank_transfer', 'ideal', 'card', 'cash', 'direct_debit'))`);
  }
}
