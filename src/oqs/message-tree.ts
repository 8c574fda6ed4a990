// The one internal representation of an OQS message: the XmlMsg tree with the real element
// names. Leaves are strings exactly as on the wire; key order is element order; an array means
// the element repeats. The XML and JSON codecs translate it at the edge.
export type XmlValue = string | XmlTree | XmlTree[] | string[];
export interface XmlTree {
  [element: string]: XmlValue;
}

export function isTree(value: unknown): value is XmlTree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Drops undefined fields so that optional elements are omitted, as the real system does. */
export function compact(fields: Record<string, XmlValue | undefined>): XmlTree {
  const out: XmlTree = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = value;
  return out;
}
