import { BusinessRuleError } from '../kernel/domain-errors';
import { creditToApply, drawOnSources } from './credits.service';

describe('spending credit', () => {
  const party = 'party-1';
  const invoice = { kind: 'invoice' as const, status: 'issued' as const, billingPartyId: party, number: '2027-000001', grossCents: 50_000, creditedCents: 0, paidCents: 10_000 };
  const refusal = (apply: () => unknown) => {
    try {
      apply();
    } catch (error) {
      expect(error).toBeInstanceOf(BusinessRuleError);
      return (error as BusinessRuleError).code;
    }
    throw new Error('not refused');
  };

  it('applies as much as the balance and the amount due allow, or the amount asked', () => {
    expect(creditToApply(invoice, party, 15_000)).toBe(15_000);
    expect(creditToApply(invoice, party, 90_000)).toBe(40_000);
    expect(creditToApply({ ...invoice, creditedCents: 30_000 }, party, 90_000)).toBe(10_000);
    expect(creditToApply({ ...invoice, status: 'partially_paid' }, party, 15_000, 2_500)).toBe(2_500);
  });

  it('never more than the balance or the amount due, never on a draft, a credited or settled invoice, a credit note or another party’s invoice', () => {
    expect(refusal(() => creditToApply(invoice, party, 15_000, 15_001))).toBe('credit_exceeds_balance');
    expect(refusal(() => creditToApply(invoice, party, 90_000, 40_001))).toBe('credit_exceeds_amount_due');
    expect(refusal(() => creditToApply(invoice, party, 0))).toBe('no_credit');
    expect(refusal(() => creditToApply({ ...invoice, status: 'draft', number: null }, party, 15_000))).toBe('invoice_not_issued');
    expect(refusal(() => creditToApply({ ...invoice, status: 'credited', creditedCents: 50_000 }, party, 15_000))).toBe('invoice_credited');
    expect(refusal(() => creditToApply({ ...invoice, status: 'paid', paidCents: 50_000 }, party, 15_000))).toBe('invoice_settled');
    expect(refusal(() => creditToApply({ ...invoice, kind: 'credit_note' }, party, 15_000))).toBe('not_an_invoice');
    expect(refusal(() => creditToApply(invoice, 'party-2', 15_000))).toBe('invoice_other_party');
  });

  it('draws on the oldest overpayments first, each for what it has left', () => {
    const sources = [
      { paymentId: 'a', leftCents: 1_000 },
      { paymentId: 'b', leftCents: 0 },
      { paymentId: 'c', leftCents: 5_000 },
    ];
    expect(drawOnSources(sources, 800)).toEqual([{ paymentId: 'a', amountCents: 800 }]);
    expect(drawOnSources(sources, 3_500)).toEqual([
      { paymentId: 'a', amountCents: 1_000 },
      { paymentId: 'c', amountCents: 2_500 },
    ]);
    expect(() => drawOnSources(sources, 6_001)).toThrow(RangeError);
  });
});
