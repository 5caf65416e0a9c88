import { tuitionSettled } from './tuition-settlement';

describe('paid tuition', () => {
  it('is paid when every tuition item is on an invoice that is paid or credited', () => {
    expect(tuitionSettled([{ itemStatus: 'invoiced', invoiceStatus: 'paid' }], 100_000)).toBe(true);
    expect(tuitionSettled([{ itemStatus: 'invoiced', invoiceStatus: 'credited' }], 100_000)).toBe(true);
    expect(
      tuitionSettled(
        [
          { itemStatus: 'invoiced', invoiceStatus: 'paid' },
          { itemStatus: 'invoiced', invoiceStatus: 'credited' },
        ],
        100_000,
      ),
    ).toBe(true);
  });

  it('is not paid while an item is not billed, on a draft, or its invoice is not paid in full', () => {
    expect(tuitionSettled([{ itemStatus: 'open', invoiceStatus: null }], 100_000)).toBe(false);
    expect(tuitionSettled([{ itemStatus: 'invoiced', invoiceStatus: 'draft' }], 100_000)).toBe(false);
    expect(tuitionSettled([{ itemStatus: 'invoiced', invoiceStatus: 'issued' }], 100_000)).toBe(false);
    expect(tuitionSettled([{ itemStatus: 'invoiced', invoiceStatus: 'partially_paid' }], 100_000)).toBe(false);
    // One installment still open spoils the rest being paid.
    expect(
      tuitionSettled(
        [
          { itemStatus: 'invoiced', invoiceStatus: 'paid' },
          { itemStatus: 'open', invoiceStatus: null },
        ],
        100_000,
      ),
    ).toBe(false);
  });

  it('without tuition items: paid only when no tuition was agreed', () => {
    expect(tuitionSettled([], 0)).toBe(true);
    expect(tuitionSettled([], 100_000)).toBe(false);
  });
});
