/** A CAMT.053 statement with the given entries, as a Dutch bank exports it: for tests and the demo. */
export function camtStatement(entries: { ref: string; amount: string; remittance: string; structured?: boolean; credit?: boolean }[], namespace = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'): string {
  const ntry = entries
    .map(
      (entry) => `
      <Ntry>
        <Amt Ccy="EUR">${entry.amount}</Amt>
        <CdtDbtInd>${entry.credit === false ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2027-02-01</Dt></BookgDt>
        <AcctSvcrRef>${entry.ref}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>Zoë Şahin</Nm></Dbtr><DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>${entry.structured ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${entry.remittance}</Ref></CdtrRefInf></Strd>` : `<Ustrd>${entry.remittance}</Ustrd>`}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${namespace}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2027-02-01T08:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}
