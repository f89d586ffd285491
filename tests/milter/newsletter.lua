-- A newsletter (Precedence: bulk) with one full name is held; so is one sent
-- to more than newsletter_min_recipients recipients.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
pg.message(conn, { ip = "192.0.2.10", from = "office@school.example",
	rcpts = { "families@lists.example" },
	headers = { { "From", "Office <office@school.example>" }, { "Subject", "Newsletter" },
		{ "Precedence", "bulk" } },
	body = "Well done to Tilly Brannagh-Vos for her poem.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.check(mt.eom_check(conn, MT_QUARANTINE), "bulk newsletter quarantined")
pg.status_starts(conn, "hold; score=10; direction=newsletter")
pg.message(conn, { ip = "192.0.2.10", from = "office@school.example",
	rcpts = { "a@home.example", "b@home.example", "c@home.example", "d@home.example" },
	headers = { { "Subject", "News" } },
	body = "Well done to Tilly Brannagh-Vos.\r\n" })
pg.expect(conn, SMFIR_ACCEPT)
pg.status_starts(conn, "hold; score=10; direction=newsletter")
pg.done(conn)
