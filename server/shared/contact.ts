/** Telephone numbers as people write them: digits, spaces, +, /, -, parentheses; 3 to 30 digits. */
export const phonePattern = /^\+?[0-9][0-9 ()/-]{2,39}$/;
