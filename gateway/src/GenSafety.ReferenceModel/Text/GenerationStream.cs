using System.Text;
using GenSafety.Detectors.Randomness;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// Decodes one completion token by token: samples, turns token bytes into text, applies stop sequences
/// (holding back text that could be the start of one) and the token limit. Not thread-safe.
/// </summary>
internal sealed class GenerationStream
{
    private readonly LanguageModel _model;
    private readonly Cl100kTokenizer _tokenizer;
    private readonly SamplingSettings _settings;
    private readonly TokenDistribution _distribution;
    private readonly DeterministicRandom _random;
    private readonly List<int> _context;
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _text = new();
    private readonly int _maxStopLength;
    private char[] _chars = new char[64];
    private int _released;

    public GenerationStream(LanguageModel model, Cl100kTokenizer tokenizer, IReadOnlyList<int> prompt, SamplingSettings settings, ulong seed)
    {
        _model = model;
        _tokenizer = tokenizer;
        _settings = settings;
        _distribution = new TokenDistribution(model, tokenizer, settings.LogitBias);
        _random = new DeterministicRandom(seed);
        _context = new List<int>(prompt.Count + Math.Min(settings.MaxTokens, 4096) + 1) { model.EndOfDocument };
        _context.AddRange(prompt);
        _maxStopLength = settings.Stop.Count == 0 ? 0 : settings.Stop.Max(s => s.Length);
    }

    /// <summary>Null until the stream is finished, then <c>stop</c> or <c>length</c>.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Tokens generated so far (end-of-document excluded).</summary>
    public int CompletionTokens { get; private set; }

    /// <summary>The text generated so far, stop sequence removed.</summary>
    public string Text => _text.ToString(0, _released);

    /// <summary>Logprob entries of generated tokens, when requested (non-streaming callers collect them here).</summary>
    public List<GenerationStep> Steps { get; } = [];

    /// <summary>Runs one step; false once the stream has finished.</summary>
    public bool TryStep(out GenerationStep step)
    {
        if (FinishReason is not null)
        {
            step = default;
            return false;
        }

        if (CompletionTokens >= _settings.MaxTokens)
        {
            step = Finish("length", _text.Length, -1, 0, []);
            return true;
        }

        _distribution.Compute(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_context));
        var token = _settings.Temperature == 0
            ? _distribution.Greedy()
            : _distribution.Sample(_random, _settings.Temperature, _settings.TopP);
        if (token == _model.EndOfDocument)
        {
            step = Finish("stop", _text.Length, -1, 0, []);
            return true;
        }

        var logprob = _settings.LogprobsRequested ? _distribution.LogProbability(token) : 0;
        var top = _settings.TopLogprobs > 0 ? TopAlternatives() : [];
        CompletionTokens++;
        _context.Add(token);
        var offset = _text.Length;
        AppendTokenText(token, flush: false);

        var stopAt = FindStop(offset);
        if (stopAt >= 0)
        {
            step = Finish("stop", stopAt, token, logprob, top, offset);
            return true;
        }

        if (CompletionTokens >= _settings.MaxTokens)
        {
            step = Finish("length", -1, token, logprob, top, offset);
            return true;
        }

        step = new GenerationStep(token, logprob, top, Release(_text.Length - HeldBack()), offset);
        Record(step);
        return true;
    }

    private (int, double)[] TopAlternatives()
    {
        var top = new (int, double)[_settings.TopLogprobs];
        var count = _distribution.Top(top);
        return count == top.Length ? top : top[..count];
    }

    private GenerationStep Finish(string reason, int cutAt, int token, double logprob, (int, double)[] top, int offset = 0)
    {
        if (cutAt < 0)
        {
            AppendTokenText(token: -1, flush: true);
            cutAt = _text.Length;
        }

        _text.Length = Math.Max(Math.Min(cutAt, _text.Length), _released);
        FinishReason = reason;
        var step = new GenerationStep(token, logprob, top, Release(_text.Length), offset);
        if (step.HasToken && offset < _text.Length)
        {
            Record(step);
        }

        return step;
    }

    private void Record(GenerationStep step)
    {
        if (_settings.LogprobsRequested)
        {
            Steps.Add(step);
        }
    }

    private void AppendTokenText(int token, bool flush)
    {
        var bytes = token >= 0 ? _tokenizer.GetBytes(token) : [];
        var needed = _utf8.GetCharCount(bytes, flush);
        if (_chars.Length < needed)
        {
            _chars = new char[needed * 2];
        }

        var written = _utf8.GetChars(bytes, _chars, flush);
        _text.Append(_chars, 0, written);
    }

    private int FindStop(int newTextStart)
    {
        if (_maxStopLength == 0)
        {
            return -1;
        }

        var from = Math.Max(0, newTextStart - _maxStopLength + 1);
        var tail = _text.ToString(from, _text.Length - from);
        var best = -1;
        foreach (var stop in _settings.Stop)
        {
            var at = tail.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
            }
        }

        return best < 0 ? -1 : from + best;
    }

    /// <summary>Length of the longest end of the text that is a proper prefix of some stop sequence.</summary>
    private int HeldBack()
    {
        var held = 0;
        foreach (var stop in _settings.Stop)
        {
            for (var k = Math.Min(stop.Length - 1, _text.Length - _released); k > held; k--)
            {
                if (EndsWith(stop.AsSpan(0, k)))
                {
                    held = k;
                    break;
                }
            }
        }

        return held;
    }

    private bool EndsWith(ReadOnlySpan<char> value)
    {
        var start = _text.Length - value.Length;
        for (var i = 0; i < value.Length; i++)
        {
            if (_text[start + i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    private string Release(int upTo)
    {
        if (upTo <= _released)
        {
            return string.Empty;
        }

        var delta = _text.ToString(_released, upTo - _released);
        _released = upTo;
        return delta;
    }
}
