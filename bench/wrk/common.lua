-- Shared by every scenario (bench/run.py puts USERS and the scenario's `path` below this).
-- Each wrk thread seeds its own generator so threads do not repeat each other.
local thread_number = 0
function setup(thread)
    thread_number = thread_number + 1
    thread:set("seed", thread_number)
end

function init(args)
    math.randomseed(os.time() * 100 + seed)
end

-- An in-stock benchmark product: product 1000 + g has (13 g mod 101) units, so g = 101 k + r
-- with r in 1..100 is never zero.
function in_stock_product()
    return 1000 + 101 * math.random(0, 989) + math.random(1, 100)
end

function bearer()
    return { ["Authorization"] = "Bearer " .. TOKENS[math.random(1, #TOKENS)],
             ["Content-Type"] = "application/json" }
end

WORDS = { "wooden", "musical", "soft", "magnetic", "train", "puzzle", "teddy", "blocks",
          "kurta", "storybook", "tricycle", "lego", "funskool", "chicco", "crayon", "rattle" }

-- One slice of a measurement, for bench/run.py to merge with the others: its counts, then its
-- latency histogram (microseconds, requests), from which the percentiles of all slices come.
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("slice %d %d %d\n", summary.requests, summary.duration,
        e.connect + e.read + e.write + e.timeout + e.status))
    for i = 1, #latency do
        local microseconds, count = latency(i)
        io.write(string.format("latency %d %d\n", microseconds, count))
    end
end
