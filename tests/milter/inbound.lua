-- Inbound mail from outside naming a pupil is tagged; three pupils reach the
-- inbound reject threshold (30) and get the configured SMTP reply.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "203.0.113.9", from = "coach@club.example",
	rcpts = { "office@school.example" }, headers = { { "Subject", "Match" } },
	body = "Freddie Quellan scored twice.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "tag; score=10; direction=inbound")
pg.check(mt.eom_check(conn, MT_HDRCHANGE, "Subject", "[PUPIL DATA] Match"), "inbound subject prefix")
pg.message(conn, { ip = "203.0.113.9", from = "coach@club.example",
	rcpts = { "office@school.example" }, headers = { { "Subject", "Team" } },
	body = "Team: Freddie Quellan, Tamsin Oakhurst, Tilly Brannagh-Vos.\r\n" })
-- SMFIR_REPLYCODE is what libmilter sends for smfi_setreply + SMFIS_REJECT
pg.expect(conn, SMFIR_REPLYCODE, "reject with the configured reply")
pg.done(conn)
