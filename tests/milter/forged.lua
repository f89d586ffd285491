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
-- A notice's mark copied into a resend verifies over the notice only: the
-- same Message-ID with another body, the notice's body to another recipient,
-- or another Message-ID are scanned, held and lose the header.
local mark = os.getenv("PG_NOTICE_MARK")
local resends = {
	{ "other body", "<n1@school.example>", "head@home.example",
		"Tamsin Oakhurst, Freddie Quellan: their EHCP reviews attached.\r\n" },
	{ "other recipient", "<n1@school.example>", "parent@home.example",
		os.getenv("PG_NOTICE_BODY") .. "\r\nTamsin Oakhurst, Freddie Quellan.\r\n" },
	{ "other Message-ID", "<resend@school.example>", "head@home.example",
		"Tamsin Oakhurst, Freddie Quellan.\r\n" },
}
conn = pg.connect()
for _, r in ipairs(resends) do
	pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example", rcpts = { r[3] },
		headers = { { "Subject", "Resend" }, { "Message-ID", r[2] },
			{ "X-PupilGuard-Notice", mark } }, body = r[4] })
	pg.check(mt.eom_check(conn, MT_QUARANTINE), "copied notice mark, " .. r[1] .. ": held")
	pg.check(mt.eom_check(conn, MT_HDRDELETE, "X-PupilGuard-Notice") or
		mt.eom_check(conn, MT_HDRCHANGE, "X-PupilGuard-Notice", ""),
		"copied notice mark, " .. r[1] .. ": header removed")
end
pg.done(conn)
