// The pixel size of a JPEG or PNG CompressedImage, read from its header (PNG IHDR, JPEG SOFn)
// without decoding it, so a compressed camera is checked against its camera_info as cheaply as a
// raw one. Undefined when the header does not say; decoding the image then names the damage.

/** Width and height from the image's header, or undefined for data that is neither or is cut short. */
export function compressedImageSize(data: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20) }; // signature, IHDR length and type, then the size
  }
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  for (let at = 2; at + 4 <= data.length;) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Markers without a length: TEM and RSTn; SOI again is not a valid stream.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0..SOF15 but DHT (c4), JPG (c8) and DAC (cc): precision, then height and width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > data.length) return undefined;
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI or scan data before any frame header
    at += 2 + length;
  }
  return undefined;
}
