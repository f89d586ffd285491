-- Outbound mail naming one pupil: tagged, subject prefixed, report without names.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example",
	rcpts = { "parent@home.example" }, headers = { { "From", "Ms Teacher <teacher@school.example>" }, { "To", "Parent <parent@home.example>" }, { "Subject", "Trip" } },
	body = "Tamsin Oakhurst did well today.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "tag; score=10; direction=outbound")
pg.check(mt.eom_check(conn, MT_HDRCHANGE, "Subject", "[CHECK] Trip"), "subject prefixed")
local rep = mt.getheader(conn, "X-PupilGuard-Report", 0)
pg.check(rep ~= nil and string.find(rep, "rules=pupil_name", 1, true) ~= nil, "report names the rule")
pg.check(string.find(rep, "Oakhurst", 1, true) == nil, "report holds no name")
pg.check(not mt.eom_check(conn, MT_QUARANTINE), "one name outbound is not held")
pg.done(conn)
