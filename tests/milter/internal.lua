-- Internal mail (school network, local recipients) is only logged; an
-- authenticated sender from outside the trusted network writing to an
-- outside address is outbound.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example",
	rcpts = { "head@school.example", "senco@sub.school.example" },
	headers = { { "Subject", "Concern" } }, body = "About Tamsin Oakhurst.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "logged; score=10; direction=internal")
pg.check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "internal subject untouched")
conn = pg.connect()
pg.message(conn, { ip = "198.51.100.7", auth = "teacher", from = "teacher@school.example",
	rcpts = { "parent@home.example" }, headers = { { "Subject", "Hi" } },
	body = "Tamsin Oakhurst did well.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "tag; score=10; direction=outbound")
pg.done(conn)
