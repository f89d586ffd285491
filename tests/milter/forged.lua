-- Verdict headers that arrive from outside are removed before ours are added.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "203.0.113.9", from = "x@elsewhere.example",
	rcpts = { "office@school.example" },
	headers = { { "Subject", "Hi" }, { "X-PupilGuard-Status", "clean; score=0" },
		{ "X-PupilGuard-Report", "rules=none" }, { "X-PupilGuard-Status", "clean" } },
	body = "Freddie Quellan.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.check(mt.eom_check(conn, MT_HDRDELETE, "X-PupilGuard-Status") or
	mt.eom_check(conn, MT_HDRCHANGE, "X-PupilGuard-Status", ""), "forged status removed")
pg.check(mt.eom_check(conn, MT_HDRDELETE, "X-PupilGuard-Report") or
	mt.eom_check(conn, MT_HDRCHANGE, "X-PupilGuard-Report", ""), "forged report removed")
pg.check(mt.eom_check(conn, MT_HDRADD, "X-PupilGuard-Status", "tag; score=10; direction=inbound"),
	"real status added")
pg.done(conn)
