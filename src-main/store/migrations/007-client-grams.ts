/**
 * Version 7: `clients_grams`, a full-text index of the four-character grams of each client's
 * machine name and address (gram-tokens.ts), beside the trigram index of version 2. A text of four
 * characters or more that only a name or an address can hold ("pc-12", "10.20.") is then found
 * through postings of grams that are rarely in every client, where its trigrams ("pc-", "10.")
 * often are. Contentless, like `clients_text`: it keeps no second copy of the text.
 *
 * Built from the existing rows in this step: ~25 s at a million clients, instant for an office.
 */
import type { Database } from 'better-sqlite3';
import { gramWords } from '../gram-tokens.js';
import type { Migration } from './migration.js';

export const migration007: Migration = {
  version: 7,
  name: 'client-grams',
  up(db: Database) {
    db.exec(`CREATE VIRTUAL TABLE clients_grams USING fts5 (
      machine_name, address, content = '', contentless_delete = 1, tokenize = 'ascii'
    )`);
    // The words are computed in JS; a function lets SQLite feed every row in one statement.
    db.function('quorum_gram_words', { deterministic: true }, (v: unknown) => gramWords(String(v ?? '')));
    db.exec(`INSERT INTO clients_grams (rowid, machine_name, address)
      SELECT rowid, quorum_gram_words(machine_name), quorum_gram_words(address) FROM clients`);
  },
};
