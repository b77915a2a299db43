package io.globalcalling.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches unless {@code calling.store.type} is {@code memory}. */
class OnDatabaseStoreCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        CallingProperties.StoreType type = Binder.get(context.getEnvironment())
                .bind("calling.store.type", CallingProperties.StoreType.class)
                .orElse(CallingProperties.StoreType.AUTO);
        return type == CallingProperties.StoreType.MEMORY
                ? ConditionOutcome.noMatch("calling.store.type is memory")
                : ConditionOutcome.match("calling.store.type is " + type.propertyValue());
    }
}
