namespace GenSafety.Traffic.Text;

/// <summary>One seed task of a self-instruct pool: an instruction, an optional input, and an output.</summary>
/// <param name="Instruction">The task.</param>
/// <param name="Input">Its input (empty when the task needs none).</param>
/// <param name="Output">A reference answer.</param>
public sealed record SeedTask(string Instruction, string Input, string Output);

/// <summary>
/// Hand-written seed tasks in the style of Alpaca's 175 (<c>seed_tasks.jsonl</c>): short, diverse instructions
/// with and without inputs. A self-instruct attacker samples three into each generation prompt.
/// </summary>
public static class SeedTasks
{
    /// <summary>The pool.</summary>
    public static IReadOnlyList<SeedTask> All { get; } =
    [
        new("Give three tips for staying healthy.", "", "1. Eat a balanced diet. 2. Exercise regularly. 3. Sleep at least seven hours."),
        new("Rewrite the sentence in the passive voice.", "The committee approved the budget.", "The budget was approved by the committee."),
        new("Classify the animal as a mammal, bird, reptile or fish.", "Penguin", "Bird"),
        new("Write a haiku about autumn rain.", "", "Cold rain on the roof / red leaves drift along the road / the kettle whistles"),
        new("Explain why the sky is blue in two sentences.", "", "Sunlight scatters off air molecules, and shorter blue wavelengths scatter the most. So blue light reaches our eyes from every direction."),
        new("Convert the temperature from Celsius to Fahrenheit.", "25 degrees Celsius", "77 degrees Fahrenheit"),
        new("Suggest a name for a small bakery that sells sourdough bread.", "", "Rise & Crumb"),
        new("Summarize the paragraph in one sentence.", "The city council met on Tuesday to discuss new bike lanes. After a long debate, members voted to build three lanes downtown by next summer.", "The council voted to build three downtown bike lanes by next summer."),
        new("Find the grammatical error in the sentence and correct it.", "She don't like apples.", "She doesn't like apples."),
        new("Generate a list of five creative uses for a paperclip.", "", "A bookmark, a zipper pull, a SIM-card tool, a cable organizer, a tiny hook for ornaments."),
        new("Write a polite email declining a meeting invitation.", "Meeting: quarterly review on Friday", "Dear team, thank you for the invitation. Unfortunately I cannot attend the quarterly review on Friday. Please share the notes afterwards. Best regards."),
        new("Solve the math problem and show your work.", "A shirt costs $20 after a 20% discount. What was the original price?", "Original price x: 0.8x = 20, so x = 25. The original price was $25."),
        new("Translate the sentence into French.", "Where is the train station?", "Où est la gare ?"),
        new("Describe the taste of a lemon to someone who has never had one.", "", "Sharp and sour, bright and fresh, with a slight bitterness from the peel."),
        new("Write a Python function that reverses a string.", "", "def reverse(s):\n    return s[::-1]"),
        new("Give an example of a metaphor and explain it.", "", "'Time is a thief': time takes moments from us without asking."),
        new("Sort the numbers in ascending order.", "42, 7, 19, 3, 88", "3, 7, 19, 42, 88"),
        new("Create a short workout plan for a beginner.", "", "Monday: 20-minute walk. Wednesday: bodyweight squats and push-ups. Friday: 20-minute jog and stretching."),
        new("Identify the main idea of the text.", "Bees pollinate many crops. Without them, yields of fruits and nuts would drop sharply.", "Bees are essential to crop production."),
        new("Come up with a riddle whose answer is 'a shadow'.", "", "I follow you all day but vanish at night. What am I?"),
        new("List the planets of the solar system in order from the sun.", "", "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune."),
        new("Write a one-sentence product description for noise-cancelling headphones.", "", "Shut out the world and hear every detail with all-day comfort."),
        new("Explain the difference between weather and climate.", "", "Weather is the short-term state of the atmosphere; climate is its average over decades."),
        new("Give two arguments for and two against school uniforms.", "", "For: less peer pressure, easier mornings. Against: less self-expression, extra cost."),
        new("Extract all the dates from the text.", "The contract starts on 3 March 2024 and ends on 2 March 2025.", "3 March 2024, 2 March 2025"),
        new("Write a tweet announcing a new coffee shop opening.", "", "Fresh beans, cosy seats, free refills all week: our new coffee shop opens Saturday on Elm Street!"),
        new("Paraphrase the sentence.", "The meeting has been postponed until further notice.", "The meeting is delayed until we announce a new date."),
        new("Recommend a book for someone who enjoys mystery novels.", "", "The Hound of the Baskervilles by Arthur Conan Doyle."),
        new("Explain what a database index is to a beginner.", "", "An index is like a book's index: it lets the database find rows without reading every page."),
        new("Write a short dialogue between a customer and a waiter.", "", "Customer: Could I see the menu? Waiter: Of course, here it is. Today's special is mushroom risotto."),
    ];
}
