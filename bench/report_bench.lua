-- wrk script of bench/report_bench.sh: benign GETs over 1000 paths from 100 client IPs, and every
-- 50th request a SQL injection, so a reporting proxy records statistics rows and sends events.
local n = 0
request = function()
  n = n + 1
  local ip = "10.0." .. (n % 100) .. ".1"
  local path = "/catalog/item-" .. (n % 1000)
  if n % 50 == 0 then
    path = "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--"
  end
  return wrk.format("GET", path, {["X-Forwarded-For"] = ip, ["Host"] = "bench"})
end
