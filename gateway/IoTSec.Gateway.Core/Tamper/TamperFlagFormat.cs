using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IoTSec.Gateway.Core.Tamper;

/// <summary>
/// The tamper flag file's content: one small JSON object,
/// <c>{"version":1,"since":"2026-11-25T06:00:00.0000000+00:00","reason":"enclosure opened"}</c>.
/// The file is outside input (anyone with the data directory may edit it), so the reader is
/// strict and bounded; callers treat a flag that does not parse as a tamper event (fail closed).
/// </summary>
public static class TamperFlagFormat
{
    /// <summary>The only version written and read.</summary>
    public const int Version = 1;

    /// <summary>Largest flag file accepted (a real one is under 200 bytes).</summary>
    public const int MaxLength = 4096;

    /// <summary>Longest reason kept.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>Encodes <paramref name="flag"/> as UTF-8 JSON.</summary>
    public static byte[] Encode(TamperFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var reason = flag.Reason.Length > MaxReasonLength ? flag.Reason[..MaxReasonLength] : flag.Reason;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("since", flag.Since.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a flag file.</summary>
    /// <exception cref="TamperFlagException">The content is not a version 1 flag; the message names what is wrong.</exception>
    public static TamperFlag Decode(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxLength)
        {
            throw new TamperFlagException($"the tamper flag is {content.Length} bytes, more than {MaxLength}");
        }

        try
        {
            var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = 2, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new TamperFlagException("the tamper flag is not a JSON object");
            }

            int? version = null;
            DateTimeOffset? since = null;
            string? reason = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    break;
                }

                switch (name)
                {
                    case "version" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) && version is null:
                        version = v;
                        break;
                    case "since" when reader.TokenType == JsonTokenType.String && since is null:
                        since = ParseTime(reader.GetString()!);
                        break;
                    case "reason" when reader.TokenType == JsonTokenType.String && reason is null:
                        reason = reader.GetString()!;
                        break;
                    default:
                        throw new TamperFlagException($"the tamper flag has an unexpected or repeated key '{Printable(name)}'");
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new TamperFlagException("the tamper flag is not a single JSON object");
            }

            if (version != Version)
            {
                throw new TamperFlagException(version is null ? "the tamper flag has no 'version'" : $"the tamper flag has version {version}, not {Version}");
            }

            if (since is null)
            {
                throw new TamperFlagException("the tamper flag has no 'since'");
            }

            if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
            {
                throw new TamperFlagException($"the tamper flag's 'reason' must be 1 to {MaxReasonLength} characters");
            }

            return new TamperFlag(since.Value, reason);
        }
        catch (JsonException e)
        {
            throw new TamperFlagException($"the tamper flag is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on invalid UTF-8 or escapes.
            throw new TamperFlagException($"the tamper flag has an unreadable string: {e.Message}", e);
        }
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new TamperFlagException($"the tamper flag's 'since' is not an ISO 8601 round-trip time: '{Printable(text)}'");

    // Keys and values from the file go into error messages: keep them short and printable.
    private static string Printable(string? text)
    {
        if (text is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, 64));
        foreach (var c in text)
        {
            if (builder.Length == 64)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
