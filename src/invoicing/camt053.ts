import { SaxesParser } from 'saxes';
import { create } from 'xmlbuilder2';
import { isCreditorReference } from './documents/payment-reference';

/** A credit entry of a bank statement. */
export interface StatementEntry {
  /** The bank's reference of the entry (AcctSvcrRef), or one made from its contents. */
  entryId: string;
  amountCents: number;
  currency: string;
  bookedOn: string;
  /** The structured creditor reference, or the unstructured remittance text. */
  remittance: string;
  counterpartyIban: string | null;
  counterpartyName: string | null;
  credit: boolean;
}

export class Camt053Error extends Error {
  constructor(
    readonly rule: 'wellFormed' | 'namespace' | 'structure',
    message: string,
  ) {
    super(message);
  }
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(0[2-9]|1[0-3])$/;

type Value = Node | string;
type Node = { [key: string]: Value | Value[] | undefined };

function list(value: Value | Value[] | undefined): Value[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
function nodes(value: Value | Value[] | undefined): Node[] {
  return list(value).filter((item): item is Node => typeof item !== 'string');
}
function child(node: Value | undefined, name: string): Value | undefined {
  return node && typeof node !== 'string' ? list(node[name])[0] : undefined;
}
/** The text of an element: xmlbuilder2 gives a text-only element as a string, one with attributes as { '#': text }. */
function textOf(value: Value | Value[] | undefined): string | null {
  const first = list(value)[0];
  if (first === undefined) return null;
  if (typeof first === 'string') return first.trim();
  const text = first['#'];
  return typeof text === 'string' ? text.trim() : null;
}
function path(node: Value | undefined, ...names: string[]): Value | undefined {
  return names.reduce<Value | undefined>((current, name) => child(current, name), node);
}

/** xmlbuilder2 reads some broken XML leniently; a strict SAX pass decides whether it is well-formed. */
function assertWellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure) throw new Camt053Error('wellFormed', `The statement is not well-formed XML: ${(failure as Error).message}`);
}

/** Parses `1234.5` exactly into cents. */
export function amountToCents(text: string): number {
  if (!/^[0-9]{1,15}(\.[0-9]{1,2})?$/.test(text)) throw new Camt053Error('structure', `Amount ${text} is not a decimal amount`);
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/**
 * The entries of a CAMT.053 bank-to-customer statement (the XML Dutch banks export): every
 * statement's entries, credits and debits, with the remittance information that matches them.
 */
export function parseCamt053(xml: string): StatementEntry[] {
  assertWellFormed(xml);
  let document: Node;
  try {
    document = create(xml).end({ format: 'object' }) as unknown as Node;
  } catch (error) {
    throw new Camt053Error('wellFormed', `The statement is not well-formed XML: ${(error as Error).message}`);
  }
  const root = nodes(document['Document'])[0];
  const namespace = root?.['@xmlns'];
  if (!root || typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw new Camt053Error('namespace', `Not a CAMT.053 statement: namespace ${typeof namespace === 'string' ? namespace : '(none)'} is not urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx`);
  }
  const report = nodes(root['BkToCstmrStmt'])[0];
  const statements = nodes(report?.['Stmt']);
  if (!report) throw new Camt053Error('structure', 'The statement has no BkToCstmrStmt');
  const entries: StatementEntry[] = [];
  statements.forEach((statement, statementIndex) => {
    const statementId = textOf(statement['Id']) ?? String(statementIndex);
    nodes(statement['Ntry']).forEach((entry, entryIndex) => {
      const amount = child(entry, 'Amt');
      const amountText = textOf(amount);
      if (!amountText) throw new Camt053Error('structure', `Entry ${entryIndex + 1} of statement ${statementId} has no amount`);
      const details = path(entry, 'NtryDtls', 'TxDtls');
      const remittance = path(details, 'RmtInf');
      const structured = textOf(path(remittance, 'Strd', 'CdtrRefInf', 'Ref'));
      const unstructured = typeof remittance === 'object' ? list(remittance['Ustrd']).map((node) => textOf(node) ?? '').join(' ') : '';
      const credit = textOf(entry['CdtDbtInd']) === 'CRDT';
      const parties = path(details, 'RltdPties');
      const counterpartyIban = textOf(path(parties, credit ? 'DbtrAcct' : 'CdtrAcct', 'Id', 'IBAN'));
      const counterpartyName = textOf(path(parties, credit ? 'Dbtr' : 'Cdtr', 'Nm')) ?? textOf(path(parties, credit ? 'Dbtr' : 'Cdtr', 'Pty', 'Nm'));
      const bookedOn = textOf(path(entry, 'BookgDt', 'Dt')) ?? textOf(path(entry, 'BookgDt', 'DtTm'))?.slice(0, 10) ?? '';
      const reference = textOf(entry['AcctSvcrRef']) ?? textOf(path(details, 'Refs', 'AcctSvcrRef'));
      entries.push({
        entryId: reference ?? `${statementId}#${entryIndex + 1}`,
        amountCents: amountToCents(amountText),
        currency: typeof amount === 'object' && typeof amount['@Ccy'] === 'string' ? amount['@Ccy'] : 'EUR',
        bookedOn,
        remittance: structured ?? unstructured,
        counterpartyIban,
        counterpartyName,
        credit,
      });
    });
  });
  return entries;
}

/** The payment reference (RF…) or invoice number (2027-000123) in a remittance text. */
export function referencesIn(remittance: string): { creditorReference: string | null; invoiceNumber: string | null } {
  const compact = remittance.toUpperCase();
  // References are often written in groups of four: try the longest run that passes the check.
  const candidate = /RF[0-9]{2}[0-9A-Z]{1,21}/.exec(compact.replace(/\s+/g, ''))?.[0] ?? '';
  let creditorReference: string | null = null;
  for (let length = candidate.length; length >= 5 && !creditorReference; length--) {
    if (isCreditorReference(candidate.slice(0, length))) creditorReference = candidate.slice(0, length);
  }
  const invoiceNumber = /\b(20[0-9]{2}-[0-9]{6})\b/.exec(compact)?.[1] ?? null;
  return { creditorReference, invoiceNumber };
}
