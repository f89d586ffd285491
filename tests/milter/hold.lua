-- Outbound mail naming two pupils (score 20): held in the MTA's hold queue.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example",
	rcpts = { "partner@agency.example" }, headers = { { "From", "Ms Teacher <teacher@school.example>" }, { "To", "Parent <parent@home.example>" }, { "Subject", "Trip" } },
	body = "Re: Tamsin Oakhurst and Freddie Quellan, Year 5 and 8.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.check(mt.eom_check(conn, MT_QUARANTINE), "quarantined")
pg.status_starts(conn, "hold; score=20; direction=outbound")
pg.done(conn)
