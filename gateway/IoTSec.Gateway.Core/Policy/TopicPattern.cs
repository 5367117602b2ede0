using System;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// An MQTT topic pattern of a policy rule, split into levels once at load: literal levels,
/// <c>+</c> (one level), <c>#</c> (the rest, last only) and <c>{device}</c> (exactly the
/// connected device's id, as a whole level, so one device's pattern can never match another
/// device's topics). Matching walks the topic once without allocating.
/// </summary>
public sealed class TopicPattern
{
    /// <summary>The placeholder for the device's own id.</summary>
    public const string DevicePlaceholder = "{device}";

    /// <summary>Longest topic name or filter the policy considers; longer ones are refused (the protocol's longest is 89).</summary>
    public const int MaxTopicLength = 256;

    private readonly Level[] _levels;

    private TopicPattern(string text, Level[] levels)
    {
        Text = text;
        _levels = levels;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; returns null with <paramref name="problem"/> set when it is not a valid pattern.</summary>
    public static TopicPattern? TryParse(string text, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = string.Empty;
        if (text.Length == 0)
        {
            problem = "is empty";
            return null;
        }

        if (text.Length > MaxTopicLength)
        {
            problem = $"is longer than {MaxTopicLength} characters";
            return null;
        }

        var parts = text.Split('/');
        var levels = new Level[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Contains('\0', StringComparison.Ordinal))
            {
                problem = "contains NUL";
                return null;
            }

            if (part == "#")
            {
                if (i != parts.Length - 1)
                {
                    problem = "has '#' before the last level ('#' must be the whole last level)";
                    return null;
                }

                levels[i] = new Level(LevelKind.Rest, string.Empty);
            }
            else if (part == "+")
            {
                levels[i] = new Level(LevelKind.One, string.Empty);
            }
            else if (part == DevicePlaceholder)
            {
                levels[i] = new Level(LevelKind.Device, string.Empty);
            }
            else if (part.Contains('#', StringComparison.Ordinal) || part.Contains('+', StringComparison.Ordinal))
            {
                problem = $"has level '{PolicyYamlReader.Printable(part)}' mixing a wildcard with text ('+' and '#' must be a whole level)";
                return null;
            }
            else if (part.Contains('{', StringComparison.Ordinal) || part.Contains('}', StringComparison.Ordinal))
            {
                problem = $"has level '{PolicyYamlReader.Printable(part)}': the only placeholder is {DevicePlaceholder}, as a whole level";
                return null;
            }
            else
            {
                levels[i] = new Level(LevelKind.Literal, part);
            }
        }

        return new TopicPattern(text, levels);
    }

    /// <summary>True when some topic this pattern matches (for some device) can hold <paramref name="literal"/> at level <paramref name="index"/>; the load-time checks ask it about "down" and the protocol tree's prefix.</summary>
    internal bool CanHoldAt(int index, string literal)
    {
        for (var i = 0; i < _levels.Length; i++)
        {
            var level = _levels[i];
            if (level.Kind == LevelKind.Rest)
            {
                return i <= index;
            }

            if (i == index)
            {
                return level.Kind switch
                {
                    LevelKind.Literal => string.Equals(level.Text, literal, StringComparison.Ordinal),
                    _ => true,
                };
            }
        }

        return false;
    }

    /// <summary>True when the pattern can match a topic whose first levels are <paramref name="prefix"/> (each level literal, "+" or "#" in the pattern).</summary>
    internal bool CanStartWith(string[] prefix)
    {
        for (var i = 0; i < prefix.Length; i++)
        {
            if (!CanHoldAt(i, prefix[i]))
            {
                return false;
            }

            if (i < _levels.Length && _levels[i].Kind == LevelKind.Rest)
            {
                return true;
            }
        }

        return _levels.Length > prefix.Length || _levels[^1].Kind == LevelKind.Rest;
    }

    /// <summary>The kind of level <paramref name="index"/> ("literal", "+", "#", "{device}"), or null past the end.</summary>
    internal string? LevelAt(int index) => index < _levels.Length
        ? _levels[index].Kind switch
        {
            LevelKind.Literal => _levels[index].Text,
            LevelKind.One => "+",
            LevelKind.Rest => "#",
            _ => DevicePlaceholder,
        }
        : null;

    /// <summary>True when the pattern holds a wildcard level.</summary>
    internal bool HasWildcard => Array.Exists(_levels, level => level.Kind is LevelKind.One or LevelKind.Rest);

    /// <summary>
    /// True when topic name <paramref name="topic"/> matches for device <paramref name="deviceId"/>
    /// (MQTT 3.1.1 §4.7: '+' is one level, possibly empty; '#' is the rest including the parent
    /// level; neither matches a first level starting with '$').
    /// </summary>
    public bool Matches(string topic, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(deviceId);
        var position = 0;
        for (var i = 0; i < _levels.Length; i++)
        {
            var level = _levels[i];
            if (level.Kind == LevelKind.Rest)
            {
                // "a/#" matches "a" too; a wildcard first level never matches "$SYS/…".
                return !(i == 0 && topic.StartsWith('$'));
            }

            if (position > topic.Length)
            {
                return false;
            }

            var slash = topic.IndexOf('/', position);
            var end = slash < 0 ? topic.Length : slash;
            var part = topic.AsSpan(position, end - position);
            switch (level.Kind)
            {
                case LevelKind.Literal:
                    if (!part.SequenceEqual(level.Text))
                    {
                        return false;
                    }

                    break;
                case LevelKind.Device:
                    if (!part.SequenceEqual(deviceId))
                    {
                        return false;
                    }

                    break;
                default:
                    if (i == 0 && part.StartsWith("$", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    break;
            }

            // Past the last level: position is beyond the end when there was no slash.
            position = slash < 0 ? topic.Length + 1 : slash + 1;
        }

        return position == topic.Length + 1;
    }

    /// <summary>
    /// True when every topic that subscription filter <paramref name="filter"/> can receive is
    /// matched by this pattern for <paramref name="deviceId"/>: the filter is no wider than the rule.
    /// The filter must be valid (<see cref="IsValidFilter"/>).
    /// </summary>
    public bool Covers(string filter, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(deviceId);
        var position = 0;
        for (var i = 0; i < _levels.Length; i++)
        {
            var level = _levels[i];
            if (level.Kind == LevelKind.Rest)
            {
                return !(i == 0 && filter.StartsWith('$'));
            }

            if (position > filter.Length)
            {
                return false;
            }

            var slash = filter.IndexOf('/', position);
            var end = slash < 0 ? filter.Length : slash;
            var part = filter.AsSpan(position, end - position);
            if (part.SequenceEqual("#"))
            {
                return false;
            }

            switch (level.Kind)
            {
                case LevelKind.Literal:
                    if (!part.SequenceEqual(level.Text))
                    {
                        return false;
                    }

                    break;
                case LevelKind.Device:
                    if (!part.SequenceEqual(deviceId))
                    {
                        return false;
                    }

                    break;
                default:
                    if (i == 0 && part.StartsWith("$", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    break;
            }

            position = slash < 0 ? filter.Length + 1 : slash + 1;
        }

        return position == filter.Length + 1;
    }

    /// <summary>True when <paramref name="topic"/> is a topic name a client may publish to (MQTT 3.1.1 §4.7.3), within <see cref="MaxTopicLength"/>.</summary>
    public static bool IsValidTopicName(string? topic)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength)
        {
            return false;
        }

        return topic.AsSpan().IndexOfAny('+', '#', '\0') < 0;
    }

    /// <summary>True when <paramref name="filter"/> is a valid subscription filter (wildcards as whole levels, '#' last), within <see cref="MaxTopicLength"/>.</summary>
    public static bool IsValidFilter(string? filter)
    {
        if (string.IsNullOrEmpty(filter) || filter.Length > MaxTopicLength)
        {
            return false;
        }

        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c == '\0')
            {
                return false;
            }

            if (c is '+' or '#')
            {
                var wholeLevel = (i == 0 || filter[i - 1] == '/') && (i == filter.Length - 1 || filter[i + 1] == '/');
                if (!wholeLevel || (c == '#' && i != filter.Length - 1))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private enum LevelKind
    {
        Literal,
        One,
        Rest,
        Device,
    }

    private readonly record struct Level(LevelKind Kind, string Text);
}
