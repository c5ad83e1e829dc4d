package org.crmlake.generate;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Short call transcripts per reason and mood, in the caller's language. */
final class Transcripts {

    private record Lines(List<String> zhNegative, List<String> zhPositive, List<String> enNegative,
                         List<String> enPositive) {
    }

    private static final Map<String, Lines> BY_REASON = Map.of(
            "delivery", new Lines(
                    List.of("我的订单还没到，非常失望", "快递一直显示在路上，已经等了一个星期了"),
                    List.of("请问我的包裹什么时候能到？谢谢", "包裹收到了，送货很快，谢谢"),
                    List.of("My order has not arrived, very disappointed", "The tracking has not moved for a week"),
                    List.of("Just checking when my parcel will arrive, thanks", "Package arrived early, great service")),
            "billing", new Lines(
                    List.of("发票金额不对，扣了我两次钱", "退款到现在还没收到，太慢了"),
                    List.of("我想要一张发票，谢谢", "付款方式已经更新好了，谢谢你们"),
                    List.of("I was charged twice for the same order", "My refund still has not come through"),
                    List.of("Could you send me a copy of my invoice please", "Payment updated, thank you for the help")),
            "complaint", new Lines(
                    List.of("产品质量太差了，我要投诉", "客服态度很差，问题一直没解决"),
                    List.of("问题已经解决了，感谢你们的耐心", "谢谢经理的回电，很满意"),
                    List.of("The product broke after two days, I want to complain", "Nobody has fixed my problem, this is unacceptable"),
                    List.of("Thanks, the issue is finally solved", "Appreciate the call back, I am happy now")),
            "product question", new Lines(
                    List.of("说明书看不懂，用不了", "这个型号和描述的不一样"),
                    List.of("想了解一下这款产品的尺寸", "请问有没有新款？很喜欢你们的东西"),
                    List.of("The manual makes no sense, I cannot use it", "This model is not what the website described"),
                    List.of("I would like to know the size of this product", "Do you have the new model yet? Love your products")),
            "cancellation", new Lines(
                    List.of("我要取消账户，以后不会再买了", "太失望了，请帮我注销会员"),
                    List.of("我想取消这个订单，换另一款", "取消订单，谢谢处理这么快"),
                    List.of("Please close my account, I will not order again", "Cancel my membership, I am done"),
                    List.of("I want to cancel this order and pick another one", "Cancelled, thanks for the quick help")),
            "sales", new Lines(
                    List.of("现在没有预算，不需要", "请不要再打电话了"),
                    List.of("报价收到了，我们考虑一下", "新方案不错，下周开会讨论"),
                    List.of("We have no budget right now", "Please stop calling me"),
                    List.of("Got the quote, we will review it", "The new offer looks good, let us meet next week")));

    private Transcripts() {
    }

    static String pick(String reason, boolean zh, boolean negative, SplittableRandom rng) {
        Lines l = BY_REASON.get(reason);
        List<String> options = zh ? (negative ? l.zhNegative() : l.zhPositive())
                : (negative ? l.enNegative() : l.enPositive());
        return options.get(rng.nextInt(options.size()));
    }
}
