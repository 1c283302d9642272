// A count with its English noun in the right number ("1 row", "3 rows"), for the campaign
// sections' sentences until the language helper words them from the catalogues.

/**
 * @param {{ int: (n: number) => string }} fmt the page's number formats
 * @param {number} n
 * @param {string} one the noun (or words) after 1
 * @param {string} many after any other count
 */
export function count(fmt, n, one, many) {
  return `${fmt.int(n)} ${n === 1 ? one : many}`;
}
