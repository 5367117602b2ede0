using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// Reads a policy file's YAML into <see cref="PolicyYamlNode"/>s from YamlDotNet's parser
/// events, keeping each node's position. Stricter than YAML on purpose, because the file is an
/// allowlist and a surprise in it opens a door: one document only, no anchors or aliases (an
/// alias bomb would otherwise multiply the work of the checker), no tags, no complex keys,
/// duplicate keys refused, nesting at most <see cref="MaxDepth"/> deep.
/// </summary>
internal static class PolicyYamlReader
{
    /// <summary>Deepest nesting of mappings and sequences accepted; the format needs 5.</summary>
    public const int MaxDepth = 16;

    /// <summary>Most nodes accepted in one file (a bound on the checker's work and memory).</summary>
    public const int MaxNodes = 200_000;

    /// <summary>Reads <paramref name="text"/>; returns null (with errors added) when it is not one usable YAML document.</summary>
    public static PolicyYamlNode? Read(string text, List<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        if (FirstControlCharacter(text) is { } control)
        {
            // YAML allows only printable characters (YAML 1.2 §5.1), and YamlDotNet's scanner
            // fails with an untyped exception on some of them: refuse them first, by position.
            errors.Add(new PolicyError(control.Line, control.Column, string.Empty, $"control character U+{(int)control.Character:X4} is not allowed in a policy file"));
            return null;
        }

        var state = new ReadState(errors);
        Parser? parser = null;
        try
        {
            parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                errors.Add(new PolicyError(1, 1, string.Empty, "the file is empty"));
                return null;
            }

            parser.Consume<DocumentStart>();
            if (parser.Accept<DocumentEnd>(out _))
            {
                errors.Add(new PolicyError(1, 1, string.Empty, "the file is empty"));
                return null;
            }

            var root = ReadNode(parser, state, 1);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                errors.Add(new PolicyError(Line(second.Start), Column(second.Start), string.Empty, "the file holds more than one YAML document; a policy is one document"));
                return null;
            }

            // Anchors, tags and duplicates are reported, and the rest is still checked: the
            // tree is whole (aliases read as empty scalars), so every error can be listed at once.
            return root;
        }
        catch (YamlException e)
        {
            // A syntax error ends reading: what follows it cannot be trusted to mean anything.
            errors.Add(new PolicyError(Line(e.Start), Column(e.Start), string.Empty, "YAML syntax error: " + Sentence(e.Message)));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet 18.1 throws these for some malformed input (an invalid tag URI, found
            // by fuzzing) instead of a YamlException; still a syntax error of the file.
            var at = parser?.Current?.Start ?? Mark.Empty;
            errors.Add(new PolicyError(Math.Max(1, Line(at)), Math.Max(1, Column(at)), string.Empty, "YAML syntax error: " + e.Message));
            return null;
        }
    }

    private static (int Line, int Column, char Character)? FirstControlCharacter(string text)
    {
        var line = 1;
        var column = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                continue;
            }

            if (char.IsControl(c) && c is not '\t' and not '\r')
            {
                return (line, column, c);
            }

            column++;
        }

        return null;
    }

    private static PolicyYamlNode ReadNode(Parser parser, ReadState state, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the document");
        if (++state.Nodes > MaxNodes)
        {
            throw new YamlException(current.Start, current.End, $"more than {MaxNodes} nodes");
        }

        if (current is AnchorAlias alias)
        {
            state.Fail(current.Start, "aliases (*" + alias.Value + ") are not allowed in a policy file: write the value out");
            parser.MoveNext();
            return new PolicyYamlScalar(Line(current.Start), Column(current.Start), string.Empty, quoted: false);
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                state.Fail(current.Start, "anchors (&" + node.Anchor + ") are not allowed in a policy file: write the value out");
            }

            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
            {
                state.Fail(current.Start, "tags (" + node.Tag + ") are not allowed in a policy file");
            }
        }

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new PolicyYamlScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
            case SequenceStart start:
                {
                    if (depth > MaxDepth)
                    {
                        throw new YamlException(start.Start, start.End, $"nested more than {MaxDepth} levels deep");
                    }

                    parser.MoveNext();
                    var items = new List<PolicyYamlNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        items.Add(ReadNode(parser, state, depth + 1));
                    }

                    return new PolicyYamlSequence(Line(start.Start), Column(start.Start), items);
                }

            case MappingStart start:
                {
                    if (depth > MaxDepth)
                    {
                        throw new YamlException(start.Start, start.End, $"nested more than {MaxDepth} levels deep");
                    }

                    parser.MoveNext();
                    var entries = new List<KeyValuePair<PolicyYamlScalar, PolicyYamlNode>>();
                    var seen = new Dictionary<string, PolicyYamlScalar>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyNode = ReadNode(parser, state, depth + 1);
                        var value = ReadNode(parser, state, depth + 1);
                        if (keyNode is not PolicyYamlScalar key)
                        {
                            state.Fail(keyNode.Line, keyNode.Column, "a key must be a plain name, not " + keyNode.Kind);
                            continue;
                        }

                        if (seen.TryGetValue(key.Value, out var first))
                        {
                            state.Fail(key.Line, key.Column, $"duplicate key '{Printable(key.Value)}' (first on line {first.Line})");
                            continue;
                        }

                        seen.Add(key.Value, key);
                        entries.Add(new KeyValuePair<PolicyYamlScalar, PolicyYamlNode>(key, value));
                    }

                    return new PolicyYamlMapping(Line(start.Start), Column(start.Start), entries);
                }

            default:
                throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
        }
    }

    /// <summary>Text from the file made safe for one log line: control characters escaped, long values cut.</summary>
    public static string Printable(string value)
    {
        const int Limit = 80;
        var builder = new System.Text.StringBuilder(Math.Min(value.Length, Limit) + 8);
        foreach (var c in value)
        {
            if (builder.Length >= Limit)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);

    // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: 20) - (…): "; the position is reported separately.
    private static string Sentence(string message)
    {
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        return at >= 0 && message.StartsWith('(') ? message[(at + 3)..] : message;
    }

    private sealed class ReadState(List<PolicyError> errors)
    {
        public int Nodes { get; set; }

        public void Fail(Mark at, string message) => Fail(Line(at), Column(at), message);

        public void Fail(int line, int column, string message)
        {
            errors.Add(new PolicyError(line, column, string.Empty, message));
        }
    }
}
