/**
 * The query key of the buyer's address book (GET /api/addresses), one for every screen that reads it: checkout,
 * the group and pre-sale sheets, and the live room's sheet.
 */
export const ADDRESS_BOOK_KEY = ['addresses'] as const;
