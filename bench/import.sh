#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 8's measurement, on demand: how long `inbox-central import` takes to bring in N messages
# (100,000 by default) of the original Node backend, into SQLite and into PostgreSQL, and how
# long the second (no-op) run takes. The source is generated in a throwaway PostgreSQL cluster
# with the original's Prisma schema and generate_series: 20 users, 2 teams, 2,000 contacts,
# N messages (every 50th scheduled, every 2nd with a Twilio SID, every 10th with media),
# 1,000 notes, 1,000 events. Prints one RESULT line per run.
#
#   bench/import.sh                 N=100000, --batch-size 500
#   N=20000 BATCH=1000 bench/import.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${INBOX_BUILD_DIR:-$root/build}
bin=$build/app/inbox-central
[[ -x "$bin" ]] || { echo "import.sh: no binary at $bin (build first)" >&2; exit 1; }
n=${N:-100000}
batch=${BATCH:-500}
work=$(mktemp -d /tmp/inbox-import-bench.XXXXXX)
chmod 0755 "$work"
trap 'bash "$root/tests/support/pg-stop.sh" "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bash "$root/tests/support/pg-start.sh" "$work/pg" >/dev/null
admin=$(cat "$work/pg/url")
base=${admin%/postgres}
psql -X -q "$admin" -c "CREATE DATABASE original" -c "CREATE DATABASE target"
src=$base/original

psql -X -q -v ON_ERROR_STOP=1 "$src" <<SQL
CREATE TYPE "Role" AS ENUM ('VIEWER', 'EDITOR', 'ADMIN');
CREATE TYPE "Channel" AS ENUM ('SMS', 'WHATSAPP', 'EMAIL', 'TWITTER', 'MESSENGER');
CREATE TYPE "Direction" AS ENUM ('INBOUND', 'OUTBOUND');
CREATE TYPE "MessageStatus" AS ENUM ('PENDING', 'SENT', 'DELIVERED', 'FAILED', 'RECEIVED');
CREATE TABLE "User" ("id" TEXT PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "password" TEXT,
  "googleId" TEXT UNIQUE, "name" TEXT, "avatarUrl" TEXT, "twilioNumber" TEXT UNIQUE,
  "isTwilioVerified" BOOLEAN NOT NULL DEFAULT false, "twilioAccountSid" TEXT, "twilioAuthToken" TEXT,
  "twilioSmsFrom" TEXT, "twilioWhatsappFrom" TEXT, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE "Team" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE "TeamMember" ("id" TEXT PRIMARY KEY, "userId" TEXT NOT NULL, "teamId" TEXT NOT NULL,
  "role" "Role" NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, UNIQUE ("userId", "teamId"));
CREATE TABLE "Contact" ("id" TEXT PRIMARY KEY, "teamId" TEXT NOT NULL, "name" TEXT, "phone" VARCHAR(50),
  "email" VARCHAR(255), "social" JSONB, "mergedIntoId" TEXT, "createdAt" TIMESTAMP(3) NOT NULL, "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE TABLE "Message" ("id" TEXT PRIMARY KEY, "contactId" TEXT NOT NULL, "teamId" TEXT NOT NULL,
  "channel" "Channel" NOT NULL, "direction" "Direction" NOT NULL, "body" TEXT, "media" JSONB,
  "externalId" TEXT UNIQUE, "status" "MessageStatus" NOT NULL, "scheduledAt" TIMESTAMP(3), "sentAt" TIMESTAMP(3),
  "createdById" TEXT, "createdAt" TIMESTAMP(3) NOT NULL, "metadata" JSONB, "threadKey" TEXT);
CREATE TABLE "Note" ("id" TEXT PRIMARY KEY, "contactId" TEXT, "teamId" TEXT NOT NULL, "authorId" TEXT NOT NULL,
  "content" TEXT NOT NULL, "isPrivate" BOOLEAN NOT NULL DEFAULT false, "createdAt" TIMESTAMP(3) NOT NULL,
  "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE TABLE "Event" ("id" TEXT PRIMARY KEY, "teamId" TEXT NOT NULL, "type" TEXT NOT NULL, "payload" JSONB,
  "createdAt" TIMESTAMP(3) NOT NULL);

INSERT INTO "Team" SELECT 'cteam' || t, 'Team ' || t, now() FROM generate_series(1, 2) t;
-- a bcrypt hash (cost 10) of "password123"
INSERT INTO "User" ("id", "email", "password", "name")
  SELECT 'cuser' || lpad(u::text, 4, '0'), 'user' || u || '@bench.test',
         '\$2a\$10\$CwTycUXWue0Thq9StjUM0uJ8.R8fQ6gXhAEXK6p7QJ4u3bGqJ6uWi', 'User ' || u
  FROM generate_series(1, 20) u;
INSERT INTO "TeamMember" SELECT 'cmember' || u, 'cuser' || lpad(u::text, 4, '0'), 'cteam' || (1 + u % 2),
  (ARRAY['VIEWER', 'EDITOR', 'ADMIN'])[1 + u % 3]::"Role", now() FROM generate_series(1, 20) u;
INSERT INTO "Contact" SELECT 'ccontact' || lpad(c::text, 6, '0'), 'cteam' || (1 + c % 2), 'Contact ' || c,
  '+1212' || lpad((2000000 + c)::text, 7, '0'), NULL, NULL, NULL, now(), now() FROM generate_series(1, 2000) c;
INSERT INTO "Message" SELECT 'cmsg' || lpad(m::text, 9, '0'), 'ccontact' || lpad((1 + m % 2000)::text, 6, '0'),
  'cteam' || (1 + (1 + m % 2000) % 2),
  CASE WHEN m % 7 = 0 THEN 'WHATSAPP' ELSE 'SMS' END::"Channel",
  CASE WHEN m % 3 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END::"Direction",
  'Message number ' || m || ' with some ordinary text in it, as people write them.',
  CASE WHEN m % 10 = 0 THEN jsonb_build_array('https://media.example/' || m || '.jpg') ELSE '[]'::jsonb END,
  CASE WHEN m % 2 = 0 THEN 'SM' || md5(m::text) END,
  CASE WHEN m % 50 = 1 AND m % 3 <> 0 THEN 'PENDING' WHEN m % 3 = 0 THEN 'RECEIVED' ELSE 'DELIVERED' END::"MessageStatus",
  CASE WHEN m % 50 = 1 AND m % 3 <> 0 THEN now() + interval '1 day' END, NULL,
  CASE WHEN m % 3 <> 0 THEN 'cuser' || lpad((1 + m % 20)::text, 4, '0') END,
  now() - (($n - m) || ' seconds')::interval, '{}'::jsonb, NULL
  FROM generate_series(1, $n) m;
INSERT INTO "Note" SELECT 'cnote' || x, 'ccontact' || lpad((1 + x % 2000)::text, 6, '0'), 'cteam' || (1 + (1 + x % 2000) % 2),
  'cuser0001', 'Note ' || x, false, now(), now() FROM generate_series(1, 1000) x;
INSERT INTO "Event" SELECT 'cevent' || x, 'cteam1', 'message.sent', jsonb_build_object('n', x), now()
  FROM generate_series(1, 1000) x;
ANALYZE;
SQL

run() { # label, DATABASE_URL, data dir
    local label=$1 url=$2 data=$3 start end second
    start=$(date +%s.%N)
    DATABASE_URL=$url DATA_DIR=$data "$bin" import --from "$src" --batch-size "$batch" >"$work/$label.out"
    end=$(date +%s.%N)
    DATABASE_URL=$url DATA_DIR=$data "$bin" import --from "$src" --batch-size "$batch" >"$work/$label-2.out"
    second=$(date +%s.%N)
    local imported
    imported=$(awk '$1 == "Message" && NF == 4 {print $2}' "$work/$label.out")
    printf 'RESULT target=%s messages=%s imported=%s batch=%s first_run_s=%.1f messages_per_s_whole_run=%.0f second_run_s=%.1f\n' \
        "$label" "$n" "$imported" "$batch" "$(echo "$end - $start" | bc)" \
        "$(echo "$imported / ($end - $start)" | bc -l)" "$(echo "$second - $end" | bc)"
    sed -n '/^table/,$p' "$work/$label.out"
}

mkdir -p "$work/sqlite"
run sqlite "sqlite://$work/sqlite/inbox.db" "$work/sqlite"
run postgresql "$base/target" "$work/sqlite"
