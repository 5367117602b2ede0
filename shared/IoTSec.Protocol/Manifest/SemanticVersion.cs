using System;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// A Semantic Versioning 2.0.0 version (https://semver.org): MAJOR.MINOR.PATCH, an
    /// optional pre-release after '-', optional build metadata after '+'. Ordered by the
    /// precedence rules of semver §11; build metadata is ignored when comparing.
    /// </summary>
    /// <remarks>
    /// Strict, as the grammar of semver 2.0.0 is: no leading 'v', no leading zeros in numeric
    /// identifiers, no empty identifiers, only [0-9A-Za-z-] in identifiers. MAJOR, MINOR and
    /// PATCH must fit an <see cref="int"/>; the whole text is at most <see cref="MaxLength"/>
    /// characters, so a hostile manifest cannot make the device compare long strings.
    /// </remarks>
    public sealed class SemanticVersion
    {
        /// <summary>Longest version text accepted.</summary>
        public const int MaxLength = 64;

        private readonly string _text;

        // Pre-release identifiers (empty: a release), kept as text: numeric ones have no
        // leading zeros, so comparing length then characters compares their values.
        private readonly string[] _preRelease;

        private SemanticVersion(string text, int major, int minor, int patch, string[] preRelease)
        {
            _text = text;
            Major = major;
            Minor = minor;
            Patch = patch;
            _preRelease = preRelease;
        }

        /// <summary>MAJOR.</summary>
        public int Major { get; }

        /// <summary>MINOR.</summary>
        public int Minor { get; }

        /// <summary>PATCH.</summary>
        public int Patch { get; }

        /// <summary>True when the version has a pre-release part (it then precedes the release of the same core).</summary>
        public bool IsPreRelease
        {
            get { return _preRelease.Length != 0; }
        }

        /// <summary>Parses <paramref name="text"/>.</summary>
        /// <param name="text">A semver 2.0.0 string.</param>
        /// <returns>The version.</returns>
        /// <exception cref="ArgumentException">Not a valid version.</exception>
        public static SemanticVersion Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            SemanticVersion[] result = new SemanticVersion[1];
            if (!TryParseCore(text, result))
            {
                throw new ArgumentException("\"" + text + "\" is not a semantic version (semver 2.0.0)", nameof(text));
            }

            return result[0];
        }

        /// <summary>True when <paramref name="text"/> is a valid version.</summary>
        /// <param name="text">Candidate text; null is not valid.</param>
        /// <returns>True when <see cref="Parse"/> would succeed.</returns>
        public static bool IsValid(string text)
        {
            return text != null && TryParseCore(text, new SemanticVersion[1]);
        }

        /// <summary>
        /// Compares by semver §11 precedence: negative when this version precedes
        /// <paramref name="other"/>, zero when they have the same precedence (build metadata
        /// ignored), positive otherwise.
        /// </summary>
        /// <param name="other">The version to compare with.</param>
        /// <returns>The sign of the comparison.</returns>
        public int CompareTo(SemanticVersion other)
        {
            if (other == null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            if (Major != other.Major)
            {
                return Major < other.Major ? -1 : 1;
            }

            if (Minor != other.Minor)
            {
                return Minor < other.Minor ? -1 : 1;
            }

            if (Patch != other.Patch)
            {
                return Patch < other.Patch ? -1 : 1;
            }

            // §11.3: a pre-release version has lower precedence than the normal version.
            if (_preRelease.Length == 0 && other._preRelease.Length == 0)
            {
                return 0;
            }

            if (_preRelease.Length == 0 || other._preRelease.Length == 0)
            {
                return _preRelease.Length == 0 ? 1 : -1;
            }

            // §11.4: identifier by identifier; a larger set wins when all before are equal.
            int common = _preRelease.Length < other._preRelease.Length ? _preRelease.Length : other._preRelease.Length;
            for (int i = 0; i < common; i++)
            {
                int c = CompareIdentifiers(_preRelease[i], other._preRelease[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return _preRelease.Length == other._preRelease.Length ? 0 : (_preRelease.Length < other._preRelease.Length ? -1 : 1);
        }

        /// <summary>The text parsed.</summary>
        /// <returns>The version as given.</returns>
        public override string ToString()
        {
            return _text;
        }

        private static int CompareIdentifiers(string a, string b)
        {
            bool aNumeric = IsNumeric(a, 0, a.Length);
            bool bNumeric = IsNumeric(b, 0, b.Length);

            // §11.4.3: numeric identifiers have lower precedence than alphanumeric ones.
            if (aNumeric != bNumeric)
            {
                return aNumeric ? -1 : 1;
            }

            // §11.4.1: numerically. Without leading zeros, a longer number is larger.
            if (aNumeric && a.Length != b.Length)
            {
                return a.Length < b.Length ? -1 : 1;
            }

            // §11.4.2 (and equal-length numbers): ASCII order.
            int common = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < common; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }
            }

            return a.Length == b.Length ? 0 : (a.Length < b.Length ? -1 : 1);
        }

        /// <summary>Parses into <paramref name="result"/>[0]; false (and nothing stored) for invalid text.</summary>
        private static bool TryParseCore(string text, SemanticVersion[] result)
        {
            int length = text.Length;
            if (length == 0 || length > MaxLength)
            {
                return false;
            }

            // The end of the version core, of the pre-release, of the whole.
            int plus = text.IndexOf('+');
            int end = plus < 0 ? length : plus;
            int dash = text.IndexOf('-');
            if (dash > end)
            {
                dash = -1;
            }

            int coreEnd = dash < 0 ? end : dash;

            int[] core = new int[3];
            int position = 0;
            for (int part = 0; part < 3; part++)
            {
                int partEnd = part < 2 ? IndexOf(text, '.', position, coreEnd) : coreEnd;
                if (partEnd < 0 || !TryParseNumber(text, position, partEnd, out core[part]))
                {
                    return false;
                }

                position = partEnd + 1;
            }

            if (position != coreEnd + 1)
            {
                return false;
            }

            string[] preRelease = new string[0];
            if (dash >= 0 && !TrySplitIdentifiers(text, dash + 1, end, true, out preRelease))
            {
                return false;
            }

            string[] build;
            if (plus >= 0 && !TrySplitIdentifiers(text, plus + 1, length, false, out build))
            {
                return false;
            }

            result[0] = new SemanticVersion(text, core[0], core[1], core[2], preRelease);
            return true;
        }

        /// <summary>Splits dot-separated identifiers; false when one is empty, has a character outside [0-9A-Za-z-], or (pre-release only) is numeric with a leading zero.</summary>
        private static bool TrySplitIdentifiers(string text, int start, int end, bool noLeadingZeros, out string[] identifiers)
        {
            identifiers = new string[0];
            if (start >= end)
            {
                return false;
            }

            int count = 1;
            for (int i = start; i < end; i++)
            {
                if (text[i] == '.')
                {
                    count++;
                }
            }

            string[] parts = new string[count];
            int index = 0;
            int identifierStart = start;
            for (int i = start; i <= end; i++)
            {
                if (i < end && text[i] != '.')
                {
                    char c = text[i];
                    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
                    {
                        return false;
                    }

                    continue;
                }

                if (i == identifierStart)
                {
                    return false;
                }

                if (noLeadingZeros && i - identifierStart > 1 && text[identifierStart] == '0' && IsNumeric(text, identifierStart, i))
                {
                    return false;
                }

                parts[index++] = text.Substring(identifierStart, i - identifierStart);
                identifierStart = i + 1;
            }

            identifiers = parts;
            return true;
        }

        private static bool TryParseNumber(string text, int start, int end, out int value)
        {
            value = 0;
            if (start >= end || (end - start > 1 && text[start] == '0'))
            {
                return false;
            }

            long accumulated = 0;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                accumulated = (accumulated * 10) + (c - '0');
                if (accumulated > int.MaxValue)
                {
                    return false;
                }
            }

            value = (int)accumulated;
            return true;
        }

        private static bool IsNumeric(string text, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static int IndexOf(string text, char c, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (text[i] == c)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
