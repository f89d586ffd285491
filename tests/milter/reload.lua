-- SIGUSR1 reloads the roster (a pupil added to the export is found at once,
-- on a new connection); a broken configuration at reload leaves the old
-- policy in force; SIGHUP is not used (libmilter would stop).
local pg = dofile(os.getenv("PG_HELPER"))
local conf = os.getenv("PG_CONF")
local dir = string.match(conf, "^(.*)/[^/]*$")

local function write(path, text)
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
end

local function read(path)
	local f = assert(io.open(path, "r"))
	local t = f:read("*a")
	f:close()
	return t
end

local conn = pg.start()
local msg = { ip = "203.0.113.9", from = "coach@club.example", rcpts = { "office@school.example" },
	headers = { { "Subject", "Team" } }, body = "Well played, Quentin Zabrowski.\r\n" }
pg.message(conn, msg)
pg.status_starts(conn, "clean; score=0")
mt.disconnect(conn)

-- The nightly export adds a pupil; reload.
local roster = read(dir .. "/roster.csv")
write(dir .. "/roster.csv", roster ..
	"W801200004001,Quentin,,Zabrowski,Quentin,Zabrowski,02/02/2016,4,4 Ash\r\n")
mt.signal(10) -- SIGUSR1
mt.sleep(1)
conn = pg.connect()
pg.message(conn, msg)
pg.status_starts(conn, "tag; score=10; direction=inbound")
mt.disconnect(conn)

-- A broken configuration: the milter logs why and keeps the policy it had.
local good = read(conf)
write(conf, good .. "\nthis is not libconfig\n")
mt.signal(10)
mt.sleep(1)
conn = pg.connect()
pg.message(conn, msg)
pg.status_starts(conn, "tag; score=10; direction=inbound")
write(conf, good)
pg.done(conn)
