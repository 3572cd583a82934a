// The hub's limit on the items of one feed document, apart from the parser so that pages and API
// views can state it without bundling the parser.

/**
 * The most items taken from one document, newest first. A poll's cost (sanitising, ids, store reads
 * and writes, announcements) grows with the items it takes, and the hub must stay within a 512 MB
 * poll worker whatever a feed serves: 20,000 items took the local hub past 1.2 GB. Publication feeds
 * carry 10 to 100 items (the largest of the 3,400 test feeds has 730, a podcast), so 500 leaves room
 * for a whole archive published at once and still bounds a poll. Items beyond it are read again on a
 * later poll only if they become the newest.
 */
export const MAX_ITEMS_PER_DOCUMENT = 500;
