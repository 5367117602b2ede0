using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IoTSec.Provision.Station;

namespace IoTSec.Provision.Ledger;

/// <summary>
/// The append-only birth-record ledger: one JSON line per unit,
/// <c>{"record":"&lt;record JSON&gt;","signature":"&lt;base64&gt;"}</c>. The signature (ECDSA P-256,
/// SHA-256, r||s) is over the exact UTF-8 bytes of the embedded record text, so verification
/// never depends on re-serialising JSON. Each record names the SHA-256 of the line before it.
/// </summary>
public static class BirthLedger
{
    /// <summary>The "previous" of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Longest line read (a record with its certificate is about 2 KB).</summary>
    public const int MaxLineLength = 16 * 1024;

    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = false };

    /// <summary>Where the next record goes: its sequence and the hash of the last line.</summary>
    public static (long Sequence, string Previous) Tail(string path)
    {
        if (!File.Exists(path))
        {
            return (1, Genesis);
        }

        long count = 0;
        string? last = null;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                count++;
                last = line;
            }
        }

        return (count + 1, last is null ? Genesis : LineHash(last));
    }

    /// <summary>Signs <paramref name="record"/> with the station key and appends it (flushed to disk before returning).</summary>
    public static void Append(string path, BirthRecord record, StationAuthority station)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(station);
        string text = JsonSerializer.Serialize(record, RecordJson);
        byte[] signature = station.Sign(Encoding.UTF8.GetBytes(text));
        string line = JsonSerializer.Serialize(new SignedLine(text, Convert.ToBase64String(signature)), RecordJson) + "\n";
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Verifies every line: its signature under <paramref name="stationCertificate"/>, that it
    /// names that station, its sequence and its link to the line before.
    /// </summary>
    /// <returns>The records, in order.</returns>
    /// <exception cref="LedgerException">The first line refused, and why.</exception>
    public static BirthRecord[] Verify(string path, X509Certificate2 stationCertificate) => Verify(File.ReadLines(path), stationCertificate);

    /// <summary>Verifies <paramref name="lines"/> as <see cref="Verify(string, X509Certificate2)"/> does.</summary>
    public static BirthRecord[] Verify(System.Collections.Generic.IEnumerable<string> lines, X509Certificate2 stationCertificate)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(stationCertificate);
        using ECDsa key = stationCertificate.GetECDsaPublicKey() ?? throw new LedgerException(0, "the station certificate has no ECDSA key");
        string station = Convert.ToHexStringLower(stationCertificate.GetCertHash(HashAlgorithmName.SHA256));
        var records = new System.Collections.Generic.List<BirthRecord>();
        string previous = Genesis;
        long number = 0;
        foreach (string line in lines)
        {
            number++;
            if (line.Length > MaxLineLength)
            {
                throw new LedgerException(number, $"longer than {MaxLineLength} characters");
            }

            SignedLine signed;
            BirthRecord record;
            try
            {
                signed = JsonSerializer.Deserialize<SignedLine>(line, RecordJson) ?? throw new LedgerException(number, "empty");
                if (signed.Record is null || signed.Signature is null)
                {
                    throw new LedgerException(number, "unsigned: 'record' and 'signature' are both required");
                }

                if (!key.VerifyData(Encoding.UTF8.GetBytes(signed.Record), Convert.FromBase64String(signed.Signature), HashAlgorithmName.SHA256))
                {
                    throw new LedgerException(number, "the signature does not verify under the station key (tampered, or signed by another station)");
                }

                record = JsonSerializer.Deserialize<BirthRecord>(signed.Record, RecordJson) ?? throw new LedgerException(number, "empty record");
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new LedgerException(number, "not a signed birth record: " + e.Message, e);
            }

            if (!string.Equals(record.Station, station, StringComparison.Ordinal))
            {
                throw new LedgerException(number, $"names station {record.Station}, not {station}");
            }

            if (record.Sequence != number)
            {
                throw new LedgerException(number, $"sequence {record.Sequence} where {number} was expected (a record was removed or reordered)");
            }

            if (!string.Equals(record.Previous, previous, StringComparison.Ordinal))
            {
                throw new LedgerException(number, "does not chain to the line before it (a record was removed, reordered or edited)");
            }

            records.Add(record);
            previous = LineHash(line);
        }

        return [.. records];
    }

    private static string LineHash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    private sealed record SignedLine(
        [property: JsonPropertyName("record")] string? Record,
        [property: JsonPropertyName("signature")] string? Signature);
}
