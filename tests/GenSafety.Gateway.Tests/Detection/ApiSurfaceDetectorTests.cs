using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.ApiSurface;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class ApiSurfaceDetectorTests
{
    [Fact]
    public void Detect_BenignClassifierWithFixedLabelBias_StaysLow()
    {
        // A sentiment classifier: a new text each time, always {positive: +100, negative: −100}, one token, logprobs.
        var events = Enumerable.Range(0, 300)
            .Select(i => Chat($"Classify the sentiment of review #{i}: the product arrived {(i % 2 == 0 ? "late" : "on time")}.",
                Bias((13022, 100), (3160, -100)), logprobs: true, topLogprobs: 2, maxTokens: 1, at: Start.AddSeconds(i)))
            .ToList();

        var result = Run(ApiSurface(), events);

        Assert.True(result.Score < 0.05, $"score {result.Score}: {result.Reason}");
        Assert.Contains("logit_bias 100%", result.Reason);
    }

    [Fact]
    public void Detect_LargeFixedBanList_IsOneSweep_StaysLow()
    {
        // An app that bans the same 300 tokens on every request, on different prompts.
        var banned = Bias([.. Enumerable.Range(1000, 300).Select(t => (t, -100.0))]);
        var events = Enumerable.Range(0, 200).Select(i => Chat($"Write a polite reply to ticket {i}.", banned, maxTokens: 200, at: Start.AddSeconds(i))).ToList();

        var result = Run(ApiSurface(), events);

        Assert.True(result.Score < 0.05, $"score {result.Score}: {result.Reason}");
    }

    [Fact]
    public void Detect_EachTextAgainstTwoLabelSets_IsNotAResweep()
    {
        var events = new List<QueryEvent>();
        for (var i = 0; i < 150; i++)
        {
            var text = $"Support ticket {i}: my invoice is wrong.";
            events.Add(Chat(text, Bias((9891, 100), (2201, -100)), logprobs: true, maxTokens: 1, at: Start.AddSeconds(2 * i)));
            events.Add(Chat(text, Bias((7001, 100), (7002, 100), (7003, 100)), logprobs: true, maxTokens: 1, at: Start.AddSeconds((2 * i) + 1)));
        }

        var result = Run(ApiSurface(), events);

        Assert.True(result.Score < 0.1, $"score {result.Score}: {result.Reason}");
    }

    [Fact]
    public void Detect_CarliniSweepWithTopLogprobs_GoesHigh()
    {
        // Carlini et al. 2024: a few prompts, each asked again and again with +100 on a fresh block of token ids,
        // reading the top-20 logprobs of one output token.
        var events = Enumerable.Range(0, 200)
            .Select(i => Chat($"Prompt {i % 10}: The", Bias([.. Enumerable.Range(20 * i, 20).Select(t => (t, 100.0))]), logprobs: true, topLogprobs: 20, maxTokens: 1,
                at: Start.AddSeconds(i)))
            .ToList();

        var result = Run(ApiSurface(), events);

        Assert.True(result.Score > 0.9, $"score {result.Score}: {result.Reason}");
    }

    [Fact]
    public void Detect_CarliniSweep_IsHighWithinTheFirstHundredQueries()
    {
        var events = Enumerable.Range(0, 60)
            .Select(i => Chat("The", Bias([.. Enumerable.Range(10 * i, 10).Select(t => (t, 100.0))]), logprobs: true, topLogprobs: 20, maxTokens: 1, at: Start.AddSeconds(i)))
            .ToList();

        Assert.True(Run(ApiSurface(), events).Score > 0.7);
    }

    [Fact]
    public void Detect_BisectionWithoutLogprobs_GoesAboveTheDegradeThreshold()
    {
        // openlogprobs' bisection: no logprobs; for each token, the bias that makes it the argmax is searched by halving.
        var events = new List<QueryEvent>();
        var t = 0;
        for (var token = 0; token < 30; token++)
        {
            double low = 0, high = 64;
            for (var step = 0; step < 8; step++)
            {
                var mid = (low + high) / 2;
                events.Add(Chat("Say one word:", Bias((500 + token, mid)), maxTokens: 1, at: Start.AddSeconds(t++)));
                (low, high) = (token + step) % 2 == 0 ? (mid, high) : (low, mid);
            }
        }

        var result = Run(ApiSurface(), events);

        Assert.True(result.Score >= 0.5, $"score {result.Score}: {result.Reason}");
        Assert.Matches("halving steps [6-9][0-9]%", result.Reason);
    }

    [Fact]
    public void Detect_ChatWithoutBias_ScoresZero()
    {
        var events = Enumerable.Range(0, 50).Select(i => Chat($"question {i}", at: Start.AddSeconds(i))).ToList();

        var result = Run(ApiSurface(), events);

        Assert.Equal(0, result.Score);
    }

    [Fact]
    public void Detect_ClientThatNeverUsesTheSurface_KeepsNoState()
    {
        var result = ApiSurface().Detect(new DetectorInput("t1", "c1", Start, [Chat("hi"), Chat("there")], [null, null], "hashing", ReadOnlyMemory<byte>.Empty));

        Assert.Equal(0, result.Score);
        Assert.Null(result.State);
    }

    [Fact]
    public void Detect_FewRequests_ScaledByConfidence()
    {
        var sweep = Enumerable.Range(0, 200)
            .Select(i => Chat("The", Bias([.. Enumerable.Range(20 * i, 20).Select(t => (t, 100.0))]), logprobs: true, topLogprobs: 20, maxTokens: 1, at: Start.AddSeconds(i)))
            .ToList();
        var options = new ApiSurfaceOptions { MinRequests = 400 };

        var result = Run(ApiSurface(options), sweep);

        // 200 of the 400 requests needed for full confidence: at most half the score.
        Assert.InRange(result.Score, 0.4, 0.5);
    }

    [Fact]
    public void Detect_StateCarriesAcrossBatches_SameAsOneBatch()
    {
        var events = Enumerable.Range(0, 120)
            .Select(i => Chat($"p{i % 7}", Bias((i * 3, i % 2 == 0 ? 100 : -30)), logprobs: i % 3 == 0, maxTokens: 1 + (i % 3), at: Start.AddSeconds(i)))
            .ToList();

        var oneBatch = Run(ApiSurface(), events, batchSize: 120);
        var manyBatches = Run(ApiSurface(), events, batchSize: 7);

        Assert.Equal(oneBatch.Score, manyBatches.Score, 12);
        Assert.Equal(oneBatch.Reason, manyBatches.Reason);
        Assert.Equal(oneBatch.State, manyBatches.State);
    }

    [Fact]
    public void Detect_StateSize_IsFixedAndDeclared()
    {
        var detector = ApiSurface();
        var result = Run(detector, [Chat("x", Bias((1, 1)))]);

        Assert.Equal(7456, result.State!.Length);
        Assert.Equal(detector.Descriptor.MaxStateBytes, result.State.Length);
        Assert.Equal(DetectorStateMode.Replace, detector.Descriptor.StateMode);
    }

    [Fact]
    public void Detect_RequestsOlderThanTheWindow_NoLongerCount()
    {
        var sweep = Enumerable.Range(0, 100)
            .Select(i => Chat("The", Bias([.. Enumerable.Range(20 * i, 20).Select(t => (t, 100.0))]), logprobs: true, topLogprobs: 20, maxTokens: 1, at: Start.AddSeconds(i)))
            .ToList();
        var detector = ApiSurface(new ApiSurfaceOptions { Window = TimeSpan.FromMinutes(10) });
        var during = Run(detector, sweep);

        var later = Run(detector, [Chat("hello", at: Start.AddHours(2))], state: during.State);

        Assert.True(during.Score > 0.9);
        Assert.Equal(0, later.Score);
        Assert.StartsWith("1 requests", later.Reason);
    }

    [Fact]
    public void Detect_CorruptOrForeignState_StartsOver()
    {
        var detector = ApiSurface();

        var result = detector.Detect(new DetectorInput("t1", "c1", Start, [Chat("x")], [null], "hashing", new byte[] { 1, 2, 3 }));

        Assert.Equal(0, result.Score);
        Assert.Equal(detector.Descriptor.MaxStateBytes, result.State!.Length);
    }

    [Fact]
    public void Reason_HoldsNoPromptText()
    {
        var result = Run(ApiSurface(), [Chat("my secret prompt text", Bias((1, 100)), logprobs: true, maxTokens: 1)]);

        Assert.DoesNotContain("secret", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(nameof(ApiSurfaceOptions.WindowRequests), 8)]
    [InlineData(nameof(ApiSurfaceOptions.MinRequests), 0)]
    [InlineData(nameof(ApiSurfaceOptions.ExtremeBias), 101)]
    [InlineData(nameof(ApiSurfaceOptions.SaturatingSweeps), 1)]
    [InlineData(nameof(ApiSurfaceOptions.BisectionTolerance), 0.5)]
    [InlineData(nameof(ApiSurfaceOptions.SurfaceBase), 1.5)]
    [InlineData(nameof(ApiSurfaceOptions.PromptSlots), 0)]
    public void Validator_OutOfRange_NamesTheKey(string property, double value)
    {
        var options = new ApiSurfaceOptions();
        var info = typeof(ApiSurfaceOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var result = new ApiSurfaceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("GenSafety:Detection:Detectors:api-surface:", StringComparison.Ordinal) && f.Contains(property, StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_Defaults_Pass() => Assert.True(new ApiSurfaceOptionsValidator().Validate(null, new ApiSurfaceOptions()).Succeeded);
}
