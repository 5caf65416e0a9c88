declare module 'fontkit' {
  /** A parsed font; pdfkit accepts it in place of the font file. */
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
