using System;
using System.Globalization;
using System.Text;

namespace IoTSec.Benchmarks;

/// <summary>
/// The documented telemetry trace of the forwarder benchmark (README.md, "Forwarder harness"):
/// <see cref="Devices"/> devices, each sending one JSON sample of ten fields every
/// <see cref="SampleInterval"/>, each field changing between two samples with the fixed
/// probability in <see cref="Fields"/> (from a counter that changes every sample to a serial
/// number that never does). Deterministic: the same seed gives the same trace, byte for byte.
/// </summary>
internal sealed class TelemetryTrace
{
    /// <summary>Field names and their per-sample change probabilities (the README's table).</summary>
    public static readonly (string Name, double ChangeProbability)[] Fields =
    [
        ("counter", 1.0),       // a sample counter: changes every sample
        ("temp_c", 0.30),       // temperature, one decimal
        ("rssi_dbm", 0.25),     // radio signal strength
        ("humidity_pct", 0.20), // relative humidity, whole percent
        ("battery_mv", 0.05),   // battery voltage, 10 mV steps
        ("door_open", 0.02),    // a contact
        ("fault_code", 0.005),  // a fault register
        ("fw_version", 0.0001), // firmware version: an OTA now and then
        ("model", 0.0),         // hardware model: never
        ("serial", 0.0),        // serial number: never
    ];

    private readonly Random _random;
    private readonly DeviceState[] _devices;

    public TelemetryTrace(int devices, int seed = 6)
    {
        Devices = devices;
        _random = new Random(seed);
        _devices = new DeviceState[devices];
        for (var i = 0; i < devices; i++)
        {
            _devices[i] = new DeviceState
            {
                Id = "dev-" + i.ToString("D5", CultureInfo.InvariantCulture),
                Temperature = 18 + (_random.Next(80) / 10.0),
                Rssi = -40 - _random.Next(50),
                Humidity = 30 + _random.Next(40),
                Battery = 3000 + (10 * _random.Next(60)),
                Firmware = 12,
                Serial = "SN-" + (100_000 + i).ToString(CultureInfo.InvariantCulture),
            };
        }
    }

    /// <summary>Time between two samples of one device.</summary>
    public static TimeSpan SampleInterval { get; } = TimeSpan.FromSeconds(10);

    public int Devices { get; }

    /// <summary>The id of device <paramref name="index"/>.</summary>
    public string DeviceId(int index) => _devices[index].Id;

    /// <summary>The next sample of device <paramref name="index"/> (JSON, UTF-8): fields changed with their probabilities first.</summary>
    public byte[] Next(int index)
    {
        var d = _devices[index];
        if (d.Counter > 0)
        {
            if (Changes(1))
            {
                d.Temperature = Math.Round(d.Temperature + ((_random.Next(2) * 2) - 1) * 0.1, 1);
            }

            if (Changes(2))
            {
                d.Rssi += _random.Next(2) * 2 - 1;
            }

            if (Changes(3))
            {
                d.Humidity += _random.Next(2) * 2 - 1;
            }

            if (Changes(4))
            {
                d.Battery -= 10;
            }

            if (Changes(5))
            {
                d.Door = !d.Door;
            }

            if (Changes(6))
            {
                d.Fault = d.Fault == 0 ? 1 + _random.Next(200) : 0;
            }

            if (Changes(7))
            {
                d.Firmware++;
            }
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"{{\"counter\":{d.Counter},\"temp_c\":{d.Temperature:0.0},\"rssi_dbm\":{d.Rssi},\"humidity_pct\":{d.Humidity},\"battery_mv\":{d.Battery},\"door_open\":{(d.Door ? "true" : "false")},\"fault_code\":{d.Fault},\"fw_version\":\"1.{d.Firmware}.0\",\"model\":\"IoTSec-ESP32-S3-DevKitC\",\"serial\":\"{d.Serial}\"}}");
        d.Counter++;
        return Encoding.UTF8.GetBytes(text);
    }

    private bool Changes(int field) => _random.NextDouble() < Fields[field].ChangeProbability;

    private sealed class DeviceState
    {
        public string Id { get; set; } = string.Empty;

        public long Counter { get; set; }

        public double Temperature { get; set; }

        public int Rssi { get; set; }

        public int Humidity { get; set; }

        public int Battery { get; set; }

        public bool Door { get; set; }

        public int Fault { get; set; }

        public int Firmware { get; set; }

        public string Serial { get; set; } = string.Empty;
    }
}
