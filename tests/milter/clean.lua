-- Outbound mail with first names only: accepted, stamped clean.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example",
	rcpts = { "parent@home.example" }, headers = { { "From", "Ms Teacher <teacher@school.example>" }, { "To", "Parent <parent@home.example>" }, { "Subject", "Trip" } },
	body = "Tamsin and Farid did well today.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "clean; score=0; direction=outbound")
pg.check(not mt.eom_check(conn, MT_HDRADD, "X-PupilGuard-Report"), "no report header on clean mail")
pg.check(not mt.eom_check(conn, MT_QUARANTINE), "clean mail is not held")
pg.done(conn)
