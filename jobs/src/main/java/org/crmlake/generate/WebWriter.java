package org.crmlake.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Web click events: sessions on 1-2 cookies per person, anonymous until signup/login, a
 * checkout session for every web order, fewer visits as churn approaches.
 */
final class WebWriter {

    private static final String SITE = "https://shop.example.com";
    private static final List<String> UTM_SOURCES = List.of("google", "facebook", "newsletter", "baidu", "wechat");
    private static final List<String> UTM_CAMPAIGNS = List.of("spring_sale", "back2school", "summer_deals",
            "clearance");

    private final World world;

    WebWriter(World world) {
        this.world = world;
    }

    private record Session(long start, boolean checkout, Purchases.Order order) {
    }

    /** Per-person state while its sessions are written. */
    private final class Visitor {
        final Person p;
        final SplittableRandom rng;
        final SplittableRandom messRng;
        /** How the e-mail typed at each login arrives (typos and case, like any typed e-mail). */
        final SplittableRandom loginRng;
        final String[] cookies;
        final boolean[] cookieListed;
        final boolean secondCookieLogsIn;
        final String userId;
        long signupAt;
        boolean userListed;
        int eventCounter;

        Visitor(Person p) {
            this.p = p;
            this.rng = world.stream(p, 30);
            this.messRng = world.stream(p, 130);
            this.loginRng = world.stream(p, 131);
            int n = rng.nextDouble() < 0.4 ? 2 : 1;
            this.cookies = new String[n];
            for (int k = 0; k < n; k++) {
                cookies[k] = Ids.COOKIE.id(p.index() * 4L + k);
            }
            this.cookieListed = new boolean[n];
            this.secondCookieLogsIn = rng.nextBoolean();
            this.userId = p.webUser() ? Ids.USER.id(p.index()) : null;
        }
    }

    void write(Person p, List<Purchases.Order> orders) throws IOException {
        Visitor v = new Visitor(p);
        Batches b = world.batches();
        List<Session> sessions = new ArrayList<>();
        for (Purchases.Order o : orders) {
            if (o.web()) {
                sessions.add(new Session(o.orderedAt(), true, o));
            }
        }
        // Browsing sessions: thinned Poisson process, thinning out as churn approaches.
        double maxRate = 0.005 + 0.03 * p.engagement();
        double t = Math.max(b.startDay(), p.firstSeenDay() - 30);
        while (sessions.size() < 2000) {
            t += -Math.log(1 - v.rng.nextDouble()) / maxRate;
            long day = (long) t;
            if (day > b.endDay()) {
                break;
            }
            double keep = day > p.churnDay() ? 0.05 : 1 - 0.8 * p.churnPressure(day);
            if (v.rng.nextDouble() < keep) {
                sessions.add(new Session(day * Times.DAY + p.timeOfDay(v.rng), false, null));
            }
        }
        sessions.sort(Comparator.comparingLong(Session::start));

        if (v.userId != null) {
            boolean existing = p.firstSeenDay() == b.startDay() && v.rng.nextDouble() < 0.6;
            long firstCheckout = sessions.stream().filter(Session::checkout).mapToLong(Session::start).findFirst()
                    .orElse(Long.MAX_VALUE);
            long planned = (p.firstSeenDay() + (long) (-Math.log(1 - v.rng.nextDouble()) * 20)) * Times.DAY;
            v.signupAt = existing ? Long.MIN_VALUE : Math.min(planned, firstCheckout);
        }
        for (Session s : sessions) {
            writeSession(v, s);
        }
    }

    private void writeSession(Visitor v, Session s) throws IOException {
        SplittableRandom rng = v.rng;
        Person p = v.p;
        int cookie = v.cookies.length == 2 && rng.nextDouble() < 0.3 ? 1 : 0;
        if (s.checkout() && cookie == 1 && !v.secondCookieLogsIn) {
            cookie = 0;
        }
        boolean canLogIn = v.userId != null && (cookie == 0 || v.secondCookieLogsIn);
        List<String[]> events = new ArrayList<>();
        boolean campaign = rng.nextDouble() < 0.1 + 0.5 * p.priceSensitivity();
        String[] landing = event(v, cookie, null, "page_view", SITE + "/");
        if (campaign) {
            landing[10] = NameBank.pick(rng, UTM_SOURCES);
            landing[11] = landing[10].equals("newsletter") ? "email" : "cpc";
            landing[12] = NameBank.pick(rng, UTM_CAMPAIGNS);
        }
        events.add(landing);
        String user = null;
        if (canLogIn && s.start() >= v.signupAt && (s.checkout() || rng.nextDouble() < 0.5)) {
            boolean signup = v.signupAt != Long.MIN_VALUE && !v.userListed;
            user = v.userId;
            if (signup) {
                String[] e = event(v, cookie, user, "signup", SITE + "/signup");
                Mess mess = world.mess();
                boolean latin = p.zh() && rng.nextDouble() < 0.4;
                e[7] = mess.email(p.email(), v.messRng);
                e[8] = latin ? p.pinyinFirst() : p.firstName();
                e[9] = latin ? p.pinyinLast() : p.lastName();
                events.add(e);
            } else {
                // Accounts log in with their e-mail address, which the click log keeps.
                String[] e = event(v, cookie, user, "login", SITE + "/login");
                e[7] = world.mess().email(p.email(), v.loginRng);
                events.add(e);
            }
        }
        int views = 1 + rng.nextInt(4);
        for (int k = 0; k < views; k++) {
            Catalog.Product pr = world.catalog().pick(rng.nextInt(world.catalog().categories()), p.priceSensitivity(), rng);
            String[] e = event(v, cookie, user, "product_view", SITE + "/p/" + pr.id());
            e[6] = pr.id();
            events.add(e);
        }
        if (s.checkout()) {
            for (Purchases.Line l : s.order().lines()) {
                String[] e = event(v, cookie, user, "add_to_cart", SITE + "/cart");
                e[6] = l.product().id();
                events.add(e);
            }
            events.add(event(v, cookie, user, "checkout", SITE + "/checkout"));
        } else if (rng.nextDouble() < 0.2) {
            Catalog.Product pr = world.catalog().any(rng);
            String[] e = event(v, cookie, user, "add_to_cart", SITE + "/cart");
            e[6] = pr.id();
            events.add(e);
        }
        // Checkout happens at the order's timestamp; earlier events step back from it.
        long[] at = new long[events.size()];
        long time = s.start();
        for (int k = events.size() - 1; k >= 0; k--) {
            at[k] = time;
            time -= 5 + rng.nextInt(90);
        }
        if (!s.checkout()) {
            long shift = s.start() - at[0];
            for (int k = 0; k < at.length; k++) {
                at[k] += shift;
            }
        }
        LandingFile file = world.landing().file("web", "events");
        for (int k = 0; k < events.size(); k++) {
            String[] e = events.get(k);
            e[1] = Times.timestamp(at[k]);
            if (file.write(at[k], e, v.messRng)) {
                if (!v.cookieListed[cookie]) {
                    v.cookieListed[cookie] = true;
                    world.truth().record("web", "cookies", v.cookies[cookie], p);
                }
                if (e[3] != null && !v.userListed) {
                    v.userListed = true;
                    world.truth().record("web", "users", e[3], p);
                }
            }
        }
    }

    private String[] event(Visitor v, int cookie, String user, String type, String url) {
        String[] e = new String[13];
        e[0] = Ids.event(world.options().seed(), v.p.index(), v.eventCounter++);
        e[2] = v.cookies[cookie];
        e[3] = user;
        e[4] = type;
        e[5] = url;
        return e;
    }
}
