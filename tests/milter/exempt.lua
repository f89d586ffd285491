-- Mail whose every recipient is allowed (the council's secure domain) is not
-- scanned; one other recipient brings scanning back.  Our own notifications
-- (carrying a mark made for that very notice) are not scanned.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "dsl@school.example",
	rcpts = { "social.care@secure.council.example" }, headers = { { "Subject", "Referral" } },
	body = "Referral for Tamsin Oakhurst and Freddie Quellan.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "unscanned; reason=allowed recipients")
pg.check(not mt.eom_check(conn, MT_QUARANTINE), "exempt mail not held")
pg.message(conn, { ip = "192.0.2.10", from = "dsl@school.example",
	rcpts = { "social.care@secure.council.example", "someone@home.example" },
	headers = { { "Subject", "Referral" } },
	body = "Referral for Tamsin Oakhurst and Freddie Quellan.\r\n" })
pg.check(mt.eom_check(conn, MT_QUARANTINE), "mixed recipients: scanned and held")
pg.message(conn, { ip = "192.0.2.10", from = "pupilguard@school.example",
	rcpts = { "head@home.example" },
	headers = { { "Subject", "Held message" }, { "Message-ID", "<n1@school.example>" },
		{ "X-PupilGuard-Notice", os.getenv("PG_NOTICE_MARK") } },
	body = os.getenv("PG_NOTICE_BODY") .. "\r\n" })
pg.status_starts(conn, "unscanned; reason=pupilguard notification")
pg.check(mt.eom_check(conn, MT_HDRDELETE, "X-PupilGuard-Notice") or
	mt.eom_check(conn, MT_HDRCHANGE, "X-PupilGuard-Notice", ""),
	"the notice mark is removed before delivery")
pg.message(conn, { ip = "192.0.2.10", from = "x@school.example",
	rcpts = { "head@home.example" },
	headers = { { "Subject", "Fake" }, { "X-PupilGuard-Notice", "guess" } },
	body = "Tamsin Oakhurst, Freddie Quellan.\r\n" })
pg.check(mt.eom_check(conn, MT_QUARANTINE), "a made-up notice mark is scanned and held")
-- An allowed sender is exempt from the school's network...
pg.message(conn, { from = "mis-reports@school.example", rcpts = { "la@home.example" },
	headers = { { "Subject", "Export" } }, body = "Tamsin Oakhurst, Freddie Quellan.\r\n" })
pg.status_starts(conn, "unscanned; reason=allowed sender")
-- ...but the same address forged from outside is scanned.
conn = pg.connect()
pg.message(conn, { ip = "203.0.113.66", from = "mis-reports@school.example",
	rcpts = { "office@school.example" }, headers = { { "Subject", "Export" } },
	body = "Tamsin Oakhurst.\r\n" })
pg.status_starts(conn, "tag; score=10; direction=inbound")
pg.done(conn)
