// The text of `harmony --help`, with the settings table generated from config.ts.
import { SETTINGS } from '../config.ts';
import { VERSION } from '../version.ts';

export function helpText(): string {
  const settings = SETTINGS.map(
    (s) => `  ${`${s.flag} <value>`.padEnd(28)} ${s.env.padEnd(28)} ${s.help} (default: ${s.default === '' ? 'empty' : (s.default ?? 'unset')})`,
  ).join('\n');
  return `Harmony ${VERSION} — self-hosted chat platform and presence API in one binary.

Usage:
  harmony [serve] [options]                 start the server (the default command)
  harmony migrate [--data DIR]              apply database migrations and exit
  harmony backup <file> [--data DIR]        copy the database to <file> and the uploaded files (from <data>/files or the
                                            S3 bucket) to <file>-files/ (safe while serving)
  harmony restore <file> [--force] [--data DIR]  put a backup (and <file>-files/) into the data folder and migrate it;
                                            --force moves existing data to <data>/replaced-<time>/ (server must be stopped)
                                            with --s3-* settings, <file>-files/ is uploaded to the bucket
  harmony backup|restore <file> --database-url URL   PostgreSQL: one snapshot of every table; restore only into an
                                            empty database, then migrate
  harmony admin create-user --username U --password P [--admin] [--data DIR]
  harmony admin create-bot --name N [--description D] [--data DIR]   prints the bot token once
  harmony admin bot-intents --name N [--presence on|off] [--members on|off] [--message-content on|off]
  harmony --help | --version

Options (flag, environment variable, meaning):
${settings}
`;
}
