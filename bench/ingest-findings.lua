-- wrk script: each request POSTs a batch of findings with ids never sent before, so the server stores every
-- one (no duplicates). BATCH findings per request; the key comes from the environment (BULWARK_KEY).
local batch = tonumber(os.getenv("BATCH") or "10")
local key = os.getenv("BULWARK_KEY")
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(os.time() + thread_id)
  prefix = string.format("%08x", math.random(0, 0x7fffffff))
end

local function finding(n)
  return string.format(
    '{"id":"BW-%s%08x","detection":"exchange.proxylogon.ssrf","title":"ProxyLogon server-side request forgery (CVE-2021-26855)",' ..
    '"severity":"critical","confidence":"high","cves":["CVE-2021-26855"],"attack":["T1190"],' ..
    '"firstSeen":"2021-03-03T06:59:11.840Z","lastSeen":"2021-03-03T06:59:23.288Z","subject":"198.51.100.%d","evidenceCount":1,' ..
    '"evidence":[{"file":"V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG","line":%d,"timestamp":"2021-03-03T06:59:11.840Z",' ..
    '"fields":{"AnchorMailbox":"ServerInfo~a]@ex01.contoso.local:444/mapi/emsmdb/?#","ClientIpAddress":"198.51.100.%d","HttpStatus":"200"}}],' ..
    '"remediation":"Install the March 2021 Exchange security update (KB5000871).","source":"bench"}',
    prefix, n, n % 250, n, n % 250)
end

function request()
  local items = {}
  for i = 1, batch do
    counter = counter + 1
    items[i] = finding(counter)
  end
  return wrk.format("POST", "/api/v1/findings",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key },
    "[" .. table.concat(items, ",") .. "]")
end

function done(summary, latency, requests)
  io.write(string.format("findings/s %.0f  p50 %.1f ms  p99 %.1f ms  errors %d  non-2xx %d\n",
    summary.requests / (summary.duration / 1e6) * batch,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
