-- A message over milter.max_message_bytes (64 KiB here) takes on_oversize
-- (hold here), even when the part that was scanned is clean.
local pg = dofile(os.getenv("PG_HELPER"))
local conn = pg.start()
local line = string.rep("All quiet in the school today. ", 3) .. "\r\n"
pg.message(conn, { ip = "192.0.2.10", from = "teacher@school.example",
	rcpts = { "parent@home.example" }, headers = { { "Subject", "Big" } },
	body = string.rep(line, 1200) })
pg.expect(conn, SMFIR_ACCEPT)
pg.check(mt.eom_check(conn, MT_QUARANTINE), "oversize message held")
local rep = mt.getheader(conn, "X-PupilGuard-Status", 0)
pg.check(rep ~= nil and string.find(rep, "hold", 1, true) ~= nil, "status says hold")
pg.done(conn)
