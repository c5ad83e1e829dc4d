package org.crmlake.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentimentTest {

    /** Expected polarity: + positive (score > 0), - negative (isNegative), 0 neither. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Thank you, the agent was very helpful and the problem is resolved.  | +
            Great product, fast delivery, I would recommend it.                 | +
            I am happy with the service.                                        | +
            The food was not bad at all.                                        | +
            I am not happy with this order.                                     | -
            My parcel never arrived and nobody called me back.                  | -
            This is the worst support ever, I want a refund.                    | -
            The screen was broken and the courier was rude.                     | -
            It doesn't work, I'm really disappointed.                           | -
            I'd like to cancel, it isn't working.                               | -
            I want to change my delivery address.                               | 0
            I would like to cancel my order.                                    | -
            Great phone but delivery was late.                                  | 0
            非常满意，谢谢你们！                                                   | +
            客服很好，解决得很及时，感谢。                                          | +
            东西不错，推荐给朋友。                                                 | +
            没问题，已经收到了。                                                   | +
            我对这次服务很不满意。                                                 | -
            太差了，我要投诉！                                                     | -
            包裹到现在还没到，我很生气，要求退款。                                   | -
            质量糟糕，我很失望。                                                   | -
            不是很满意，客服态度差。                                               | -
            我不喜欢这个颜色，要取消订单。                                          | -
            请问我的订单什么时候发货？                                              | 0
            The agent 很好 but the parcel 没到 and I am angry.                     | -
            """)
    void classifiesPolarity(String text, String polarity) {
        double score = Sentiment.score(text);
        switch (polarity) {
            case "+" -> assertThat(score).isPositive();
            case "-" -> assertThat(Sentiment.isNegative(text)).as("score %s", score).isTrue();
            default -> {
                assertThat(score).isBetween(-0.2, 0.2);
                assertThat(Sentiment.isNegative(text)).isFalse();
            }
        }
    }

    @Test
    void buManYiIsNegativeNotPositive() {
        assertThat(Sentiment.score("不满意")).isEqualTo(-0.5);
        assertThat(Sentiment.score("满意")).isEqualTo(0.5);
        assertThat(Sentiment.score("不太满意")).isEqualTo(-0.5);
    }

    @Test
    void negationStopsAtClauseEnd() {
        assertThat(Sentiment.score("不知道。满意")).isEqualTo(0.5);
    }

    @Test
    void moreTermsMeanStrongerScore() {
        assertThat(Sentiment.score("great, excellent, perfect")).isGreaterThan(Sentiment.score("great"));
        assertThat(Sentiment.score("")).isZero();
    }

    @Test
    void nullInNullOut() {
        assertThat(Sentiment.score(null)).isNull();
        assertThat(Sentiment.isNegative(null)).isFalse();
    }

    @Property(tries = 1000)
    void scoreIsBounded(@ForAll String text) {
        assertThat(Sentiment.score(text)).isStrictlyBetween(-1.0, 1.0);
    }
}
