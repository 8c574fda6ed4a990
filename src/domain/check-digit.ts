// 検証番号 of 保険者番号 and 医療機関コード. Both use the same rule (a Luhn check digit): multiply
// each digit by 2 and 1 alternately starting from the last one, add the digits of each product,
// and subtract the units digit of the sum from 10 (0 when the units digit is 0).
// Insurer numbers: 保険者番号設定要領 (example 33120015). Facility codes: the check digit is computed
// over all nine leading digits, 都道府県 and 点数表 included (example 0110113719).

export function checkDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, weight = 2; i >= 0; i--, weight = 3 - weight) {
    const product = (payload.charCodeAt(i) - 48) * weight;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  return /^[0-9]{2,}$/.test(digits) && checkDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** Appends the check digit to a payload of digits. */
export function withCheckDigit(payload: string): string {
  return payload + checkDigit(payload);
}
