-- Shared helper for pupilguard's miltertest scripts (tests/milter/run.sh sets
-- PG_MILTER, PG_CONF and PG_SOCKET).  Each test script is a few lines:
--   local pg = dofile(os.getenv("PG_HELPER"))
--   local conn = pg.start()
--   pg.message(conn, { ip = "192.0.2.10", from = "a@school.example",
--                      rcpts = { "p@home.example" }, headers = {...}, body = "..." })
--   pg.expect(conn, SMFIR_ACCEPT)
local pg = {}
local failures = 0

function pg.fail(msg)
	failures = failures + 1
	mt.echo("FAIL: " .. msg)
	error(msg)
end

function pg.check(cond, msg)
	if not cond then
		pg.fail(msg)
	end
	mt.echo("ok: " .. msg)
end

local introduced = {}

-- A new connection to the running filter.
function pg.connect()
	local sock = os.getenv("PG_SOCKET")
	local conn = mt.connect(sock, 40, 0.25)
	if conn == nil then
		pg.fail("cannot connect to the filter at " .. sock)
	end
	return conn
end

-- Start the filter once per script and connect to it.
function pg.start(conf)
	mt.startfilter(os.getenv("PG_MILTER"), "-f", "-R", "-c", conf or os.getenv("PG_CONF"),
		"-p", os.getenv("PG_SOCKET"))
	return pg.connect()
end

local function step(conn, what, err)
	if err ~= nil then
		pg.fail(what .. ": " .. err)
	end
	local r = mt.getreply(conn)
	if r ~= SMFIR_CONTINUE then
		pg.fail(what .. ": unexpected reply " .. tostring(r))
	end
end

-- Send one whole message; returns after end-of-message.  The client address
-- (ip) is sent with the first message of a connection only, as an MTA does.
-- m = { ip, auth, from, rcpts = {...}, headers = { {name, value}, ... }, body }
function pg.message(conn, m)
	if not introduced[conn] then
		step(conn, "connect", mt.conninfo(conn, "client.example", m.ip or "203.0.113.5"))
		introduced[conn] = true
	end
	-- one macro command per stage: libmilter replaces a stage's macros each time
	if m.auth then
		mt.macro(conn, SMFIC_MAIL, "i", m.qid or "4ABC123", "{auth_authen}", m.auth)
	else
		mt.macro(conn, SMFIC_MAIL, "i", m.qid or "4ABC123")
	end
	step(conn, "mail from", mt.mailfrom(conn, "<" .. (m.from or "sender@home.example") .. ">"))
	for _, r in ipairs(m.rcpts or { "someone@school.example" }) do
		step(conn, "rcpt to " .. r, mt.rcptto(conn, "<" .. r .. ">"))
	end
	for _, h in ipairs(m.headers or {}) do
		step(conn, "header " .. h[1], mt.header(conn, h[1], h[2]))
	end
	step(conn, "end of headers", mt.eoh(conn))
	if m.body_file then
		step(conn, "body", mt.bodyfile(conn, m.body_file))
	else
		-- the protocol carries at most 64 KiB per body chunk
		local body = m.body or "Hello.\r\n"
		for i = 1, #body, 60000 do
			step(conn, "body", mt.bodystring(conn, string.sub(body, i, i + 59999)))
		end
	end
	local err = mt.eom(conn)
	if err ~= nil then
		pg.fail("end of message: " .. err)
	end
end

function pg.expect(conn, reply, what)
	local r = mt.getreply(conn)
	pg.check(r == reply, (what or "reply") .. " is " .. tostring(reply) .. " (got " .. tostring(r) .. ")")
end

function pg.status(conn)
	return mt.getheader(conn, "X-PupilGuard-Status", 0)
end

function pg.status_starts(conn, prefix)
	local s = pg.status(conn)
	pg.check(s ~= nil and string.sub(s, 1, #prefix) == prefix,
		"status header starts with '" .. prefix .. "' (got '" .. tostring(s) .. "')")
end

function pg.done(conn)
	mt.disconnect(conn)
	if failures > 0 then
		error(failures .. " failures")
	end
end

return pg
